import { LANGS, normalizeKey, stripBullet, type Labels, type Lang } from './labels';

export type RegionalGroupCode = 'AFRICAN' | 'APG' | 'EEG' | 'GRULAC' | 'WEOG';

export interface RegionalGroup {
  code: RegionalGroupCode;
  /** UHRI spells the groups this way in "Regions Concerned" / "Recommending Regions". */
  label: Labels;
  aliases: string[];
}

export const REGIONAL_GROUPS: RegionalGroup[] = [
  {
    code: 'AFRICAN',
    label: {
      ar: 'مجموعة الدول الأفريقية',
      zh: '非洲国家组',
      en: 'African States',
      fr: "Groupe des États d'Afrique",
      ru: 'Группа африканских государств',
      es: 'Grupo de los Estados de África',
    },
    aliases: ['African Group', 'Group of African States', 'Africa'],
  },
  {
    code: 'APG',
    label: {
      ar: 'مجموعة دول آسيا والمحيط الهادئ',
      zh: '亚洲-太平洋国家组',
      en: 'Asia-Pacific States',
      fr: "Groupe des États d'Asie et du Pacifique",
      ru: 'Группа азиатско-тихоокеанских государств',
      es: 'Grupo de los Estados de Asia y el Pacífico',
    },
    aliases: [
      'Asia-Pacific Group',
      'Asia and the Pacific Group',
      'Asian States',
      'Asian Group',
      'Asia-Pacific',
      'Group of Asia and the Pacific Small Island Developing States',
    ],
  },
  {
    code: 'EEG',
    label: {
      ar: 'مجموعة دول أوروبا الشرقية',
      zh: '东欧国家组',
      en: 'Eastern European States',
      fr: "Groupe des États d'Europe orientale",
      ru: 'Группа восточноевропейских государств',
      es: 'Grupo de los Estados de Europa Oriental',
    },
    aliases: ['Eastern European Group', 'Eastern Europe'],
  },
  {
    code: 'GRULAC',
    label: {
      ar: 'مجموعة دول أمريكا اللاتينية ومنطقة البحر الكاريبي',
      zh: '拉丁美洲和加勒比国家组',
      en: 'Latin American and Caribbean States',
      fr: "Groupe des États d'Amérique latine et des Caraïbes",
      ru: 'Группа государств Латинской Америки и Карибского бассейна',
      es: 'Grupo de los Estados de América Latina y el Caribe',
    },
    aliases: ['Latin American and Caribbean Group', 'Latin America and the Caribbean'],
  },
  {
    code: 'WEOG',
    label: {
      ar: 'مجموعة دول أوروبا الغربية ودول أخرى',
      zh: '西欧和其他国家组',
      en: 'Western European and other States',
      fr: "Groupe des États d'Europe occidentale et autres États",
      ru: 'Группа западноевропейских и других государств',
      es: 'Grupo de los Estados de Europa Occidental y otros Estados',
    },
    aliases: ['Western European and Others Group', 'Western Europe and others'],
  },
];

export interface State {
  iso3: string;
  iso2: string;
  /** The short name used in UN documents (UN Terminology / the UN member States list). */
  name: string;
  status: 'member' | 'observer';
  /** UN regional group; undefined where the State belongs to none (see `groupNote`). */
  group?: RegionalGroupCode;
  groupNote?: string;
  /** Older or informal names met in UPR reports and UHRI exports. */
  aliases: string[];
}

type Row = [iso3: string, iso2: string, name: string, group: RegionalGroupCode | '', aliases?: string[]];

// 193 Member States and the 2 non-member observer States, by regional group.
const ROWS: Row[] = [
  ['DZA', 'DZ', 'Algeria', 'AFRICAN'],
  ['AGO', 'AO', 'Angola', 'AFRICAN'],
  ['BEN', 'BJ', 'Benin', 'AFRICAN'],
  ['BWA', 'BW', 'Botswana', 'AFRICAN'],
  ['BFA', 'BF', 'Burkina Faso', 'AFRICAN'],
  ['BDI', 'BI', 'Burundi', 'AFRICAN'],
  ['CPV', 'CV', 'Cabo Verde', 'AFRICAN', ['Cape Verde']],
  ['CMR', 'CM', 'Cameroon', 'AFRICAN'],
  ['CAF', 'CF', 'Central African Republic', 'AFRICAN'],
  ['TCD', 'TD', 'Chad', 'AFRICAN'],
  ['COM', 'KM', 'Comoros', 'AFRICAN'],
  ['COG', 'CG', 'Congo', 'AFRICAN', ['Republic of the Congo', 'Republic of Congo', 'Congo-Brazzaville']],
  ['CIV', 'CI', "Côte d'Ivoire", 'AFRICAN', ['Ivory Coast']],
  [
    'COD',
    'CD',
    'Democratic Republic of the Congo',
    'AFRICAN',
    [
      'Democratic Republic of Congo',
      'DR Congo',
      'DRC',
      'Congo-Kinshasa',
      'Congo, Democratic Republic of the',
      'Zaire',
    ],
  ],
  ['DJI', 'DJ', 'Djibouti', 'AFRICAN'],
  ['EGY', 'EG', 'Egypt', 'AFRICAN'],
  ['GNQ', 'GQ', 'Equatorial Guinea', 'AFRICAN'],
  ['ERI', 'ER', 'Eritrea', 'AFRICAN'],
  ['SWZ', 'SZ', 'Eswatini', 'AFRICAN', ['Swaziland', 'Kingdom of Eswatini']],
  ['ETH', 'ET', 'Ethiopia', 'AFRICAN'],
  ['GAB', 'GA', 'Gabon', 'AFRICAN'],
  ['GMB', 'GM', 'Gambia', 'AFRICAN', ['Gambia (Republic of The)', 'Republic of the Gambia']],
  ['GHA', 'GH', 'Ghana', 'AFRICAN'],
  ['GIN', 'GN', 'Guinea', 'AFRICAN'],
  ['GNB', 'GW', 'Guinea-Bissau', 'AFRICAN'],
  ['KEN', 'KE', 'Kenya', 'AFRICAN'],
  ['LSO', 'LS', 'Lesotho', 'AFRICAN'],
  ['LBR', 'LR', 'Liberia', 'AFRICAN'],
  ['LBY', 'LY', 'Libya', 'AFRICAN', ['Libyan Arab Jamahiriya', 'State of Libya']],
  ['MDG', 'MG', 'Madagascar', 'AFRICAN'],
  ['MWI', 'MW', 'Malawi', 'AFRICAN'],
  ['MLI', 'ML', 'Mali', 'AFRICAN'],
  ['MRT', 'MR', 'Mauritania', 'AFRICAN'],
  ['MUS', 'MU', 'Mauritius', 'AFRICAN'],
  ['MAR', 'MA', 'Morocco', 'AFRICAN'],
  ['MOZ', 'MZ', 'Mozambique', 'AFRICAN'],
  ['NAM', 'NA', 'Namibia', 'AFRICAN'],
  ['NER', 'NE', 'Niger', 'AFRICAN'],
  ['NGA', 'NG', 'Nigeria', 'AFRICAN'],
  ['RWA', 'RW', 'Rwanda', 'AFRICAN'],
  ['STP', 'ST', 'Sao Tome and Principe', 'AFRICAN'],
  ['SEN', 'SN', 'Senegal', 'AFRICAN'],
  ['SYC', 'SC', 'Seychelles', 'AFRICAN'],
  ['SLE', 'SL', 'Sierra Leone', 'AFRICAN'],
  ['SOM', 'SO', 'Somalia', 'AFRICAN'],
  ['ZAF', 'ZA', 'South Africa', 'AFRICAN'],
  ['SSD', 'SS', 'South Sudan', 'AFRICAN'],
  ['SDN', 'SD', 'Sudan', 'AFRICAN'],
  ['TGO', 'TG', 'Togo', 'AFRICAN'],
  ['TUN', 'TN', 'Tunisia', 'AFRICAN'],
  ['UGA', 'UG', 'Uganda', 'AFRICAN'],
  ['TZA', 'TZ', 'United Republic of Tanzania', 'AFRICAN', ['Tanzania', 'Tanzania, United Republic of']],
  ['ZMB', 'ZM', 'Zambia', 'AFRICAN'],
  ['ZWE', 'ZW', 'Zimbabwe', 'AFRICAN'],

  ['AFG', 'AF', 'Afghanistan', 'APG'],
  ['BHR', 'BH', 'Bahrain', 'APG'],
  ['BGD', 'BD', 'Bangladesh', 'APG'],
  ['BTN', 'BT', 'Bhutan', 'APG'],
  ['BRN', 'BN', 'Brunei Darussalam', 'APG', ['Brunei']],
  ['KHM', 'KH', 'Cambodia', 'APG'],
  ['CHN', 'CN', 'China', 'APG', ["People's Republic of China"]],
  ['CYP', 'CY', 'Cyprus', 'APG'],
  [
    'PRK',
    'KP',
    "Democratic People's Republic of Korea",
    'APG',
    [
      'DPRK',
      'North Korea',
      "Korea, Democratic People's Republic of",
      "Korea (Democratic People's Republic of)",
    ],
  ],
  ['FJI', 'FJ', 'Fiji', 'APG'],
  ['IND', 'IN', 'India', 'APG'],
  ['IDN', 'ID', 'Indonesia', 'APG'],
  [
    'IRN',
    'IR',
    'Iran (Islamic Republic of)',
    'APG',
    ['Iran', 'Islamic Republic of Iran', 'Iran, Islamic Republic of'],
  ],
  ['IRQ', 'IQ', 'Iraq', 'APG'],
  ['JPN', 'JP', 'Japan', 'APG'],
  ['JOR', 'JO', 'Jordan', 'APG'],
  ['KAZ', 'KZ', 'Kazakhstan', 'APG'],
  ['KWT', 'KW', 'Kuwait', 'APG'],
  ['KGZ', 'KG', 'Kyrgyzstan', 'APG', ['Kyrgyz Republic']],
  ['LAO', 'LA', "Lao People's Democratic Republic", 'APG', ['Laos', 'Lao PDR']],
  ['LBN', 'LB', 'Lebanon', 'APG'],
  ['MYS', 'MY', 'Malaysia', 'APG'],
  ['MDV', 'MV', 'Maldives', 'APG'],
  ['MHL', 'MH', 'Marshall Islands', 'APG'],
  [
    'FSM',
    'FM',
    'Micronesia (Federated States of)',
    'APG',
    ['Micronesia', 'Federated States of Micronesia', 'Micronesia, Federated States of'],
  ],
  ['MNG', 'MN', 'Mongolia', 'APG'],
  ['MMR', 'MM', 'Myanmar', 'APG', ['Burma']],
  ['NRU', 'NR', 'Nauru', 'APG'],
  ['NPL', 'NP', 'Nepal', 'APG'],
  ['OMN', 'OM', 'Oman', 'APG'],
  ['PAK', 'PK', 'Pakistan', 'APG'],
  ['PLW', 'PW', 'Palau', 'APG'],
  ['PNG', 'PG', 'Papua New Guinea', 'APG'],
  ['PHL', 'PH', 'Philippines', 'APG'],
  ['QAT', 'QA', 'Qatar', 'APG'],
  ['KOR', 'KR', 'Republic of Korea', 'APG', ['South Korea', 'Korea, Republic of', 'Korea (Republic of)']],
  ['WSM', 'WS', 'Samoa', 'APG'],
  ['SAU', 'SA', 'Saudi Arabia', 'APG'],
  ['SGP', 'SG', 'Singapore', 'APG'],
  ['SLB', 'SB', 'Solomon Islands', 'APG'],
  ['LKA', 'LK', 'Sri Lanka', 'APG'],
  ['SYR', 'SY', 'Syrian Arab Republic', 'APG', ['Syria']],
  ['TJK', 'TJ', 'Tajikistan', 'APG'],
  ['THA', 'TH', 'Thailand', 'APG'],
  ['TLS', 'TL', 'Timor-Leste', 'APG', ['East Timor']],
  ['TON', 'TO', 'Tonga', 'APG'],
  ['TKM', 'TM', 'Turkmenistan', 'APG'],
  ['TUV', 'TV', 'Tuvalu', 'APG'],
  ['ARE', 'AE', 'United Arab Emirates', 'APG', ['UAE']],
  ['UZB', 'UZ', 'Uzbekistan', 'APG'],
  ['VUT', 'VU', 'Vanuatu', 'APG'],
  ['VNM', 'VN', 'Viet Nam', 'APG', ['Vietnam']],
  ['YEM', 'YE', 'Yemen', 'APG'],
  ['KIR', 'KI', 'Kiribati', 'APG'],

  ['ALB', 'AL', 'Albania', 'EEG'],
  ['ARM', 'AM', 'Armenia', 'EEG'],
  ['AZE', 'AZ', 'Azerbaijan', 'EEG'],
  ['BLR', 'BY', 'Belarus', 'EEG'],
  ['BIH', 'BA', 'Bosnia and Herzegovina', 'EEG'],
  ['BGR', 'BG', 'Bulgaria', 'EEG'],
  ['HRV', 'HR', 'Croatia', 'EEG'],
  ['CZE', 'CZ', 'Czechia', 'EEG', ['Czech Republic']],
  ['EST', 'EE', 'Estonia', 'EEG'],
  ['GEO', 'GE', 'Georgia', 'EEG'],
  ['HUN', 'HU', 'Hungary', 'EEG'],
  ['LVA', 'LV', 'Latvia', 'EEG'],
  ['LTU', 'LT', 'Lithuania', 'EEG'],
  ['MNE', 'ME', 'Montenegro', 'EEG'],
  [
    'MKD',
    'MK',
    'North Macedonia',
    'EEG',
    [
      'The former Yugoslav Republic of Macedonia',
      'Former Yugoslav Republic of Macedonia',
      'FYROM',
      'Republic of North Macedonia',
      'Macedonia',
    ],
  ],
  ['POL', 'PL', 'Poland', 'EEG'],
  ['MDA', 'MD', 'Republic of Moldova', 'EEG', ['Moldova', 'Moldova, Republic of']],
  ['ROU', 'RO', 'Romania', 'EEG'],
  ['RUS', 'RU', 'Russian Federation', 'EEG', ['Russia']],
  ['SRB', 'RS', 'Serbia', 'EEG'],
  ['SVK', 'SK', 'Slovakia', 'EEG', ['Slovak Republic']],
  ['SVN', 'SI', 'Slovenia', 'EEG'],
  ['UKR', 'UA', 'Ukraine', 'EEG'],

  ['ATG', 'AG', 'Antigua and Barbuda', 'GRULAC'],
  ['ARG', 'AR', 'Argentina', 'GRULAC'],
  ['BHS', 'BS', 'Bahamas', 'GRULAC'],
  ['BRB', 'BB', 'Barbados', 'GRULAC'],
  ['BLZ', 'BZ', 'Belize', 'GRULAC'],
  [
    'BOL',
    'BO',
    'Bolivia (Plurinational State of)',
    'GRULAC',
    ['Bolivia', 'Plurinational State of Bolivia', 'Bolivia, Plurinational State of'],
  ],
  ['BRA', 'BR', 'Brazil', 'GRULAC'],
  ['CHL', 'CL', 'Chile', 'GRULAC'],
  ['COL', 'CO', 'Colombia', 'GRULAC'],
  ['CRI', 'CR', 'Costa Rica', 'GRULAC'],
  ['CUB', 'CU', 'Cuba', 'GRULAC'],
  ['DMA', 'DM', 'Dominica', 'GRULAC'],
  ['DOM', 'DO', 'Dominican Republic', 'GRULAC'],
  ['ECU', 'EC', 'Ecuador', 'GRULAC'],
  ['SLV', 'SV', 'El Salvador', 'GRULAC'],
  ['GRD', 'GD', 'Grenada', 'GRULAC'],
  ['GTM', 'GT', 'Guatemala', 'GRULAC'],
  ['GUY', 'GY', 'Guyana', 'GRULAC'],
  ['HTI', 'HT', 'Haiti', 'GRULAC'],
  ['HND', 'HN', 'Honduras', 'GRULAC'],
  ['JAM', 'JM', 'Jamaica', 'GRULAC'],
  ['MEX', 'MX', 'Mexico', 'GRULAC'],
  ['NIC', 'NI', 'Nicaragua', 'GRULAC'],
  ['PAN', 'PA', 'Panama', 'GRULAC'],
  ['PRY', 'PY', 'Paraguay', 'GRULAC'],
  ['PER', 'PE', 'Peru', 'GRULAC'],
  ['KNA', 'KN', 'Saint Kitts and Nevis', 'GRULAC', ['St. Kitts and Nevis']],
  ['LCA', 'LC', 'Saint Lucia', 'GRULAC', ['St. Lucia']],
  ['VCT', 'VC', 'Saint Vincent and the Grenadines', 'GRULAC', ['St. Vincent and the Grenadines']],
  ['SUR', 'SR', 'Suriname', 'GRULAC'],
  ['TTO', 'TT', 'Trinidad and Tobago', 'GRULAC'],
  ['URY', 'UY', 'Uruguay', 'GRULAC'],
  [
    'VEN',
    'VE',
    'Venezuela (Bolivarian Republic of)',
    'GRULAC',
    ['Venezuela', 'Bolivarian Republic of Venezuela', 'Venezuela, Bolivarian Republic of'],
  ],

  ['AND', 'AD', 'Andorra', 'WEOG'],
  ['AUS', 'AU', 'Australia', 'WEOG'],
  ['AUT', 'AT', 'Austria', 'WEOG'],
  ['BEL', 'BE', 'Belgium', 'WEOG'],
  ['CAN', 'CA', 'Canada', 'WEOG'],
  ['DNK', 'DK', 'Denmark', 'WEOG'],
  ['FIN', 'FI', 'Finland', 'WEOG'],
  ['FRA', 'FR', 'France', 'WEOG'],
  ['DEU', 'DE', 'Germany', 'WEOG'],
  ['GRC', 'GR', 'Greece', 'WEOG'],
  ['ISL', 'IS', 'Iceland', 'WEOG'],
  ['IRL', 'IE', 'Ireland', 'WEOG'],
  ['ISR', 'IL', 'Israel', 'WEOG'],
  ['ITA', 'IT', 'Italy', 'WEOG'],
  ['LIE', 'LI', 'Liechtenstein', 'WEOG'],
  ['LUX', 'LU', 'Luxembourg', 'WEOG'],
  ['MLT', 'MT', 'Malta', 'WEOG'],
  ['MCO', 'MC', 'Monaco', 'WEOG'],
  ['NLD', 'NL', 'Netherlands (Kingdom of the)', 'WEOG', ['Netherlands', 'Kingdom of the Netherlands']],
  ['NZL', 'NZ', 'New Zealand', 'WEOG'],
  ['NOR', 'NO', 'Norway', 'WEOG'],
  ['PRT', 'PT', 'Portugal', 'WEOG'],
  ['SMR', 'SM', 'San Marino', 'WEOG'],
  ['ESP', 'ES', 'Spain', 'WEOG'],
  ['SWE', 'SE', 'Sweden', 'WEOG'],
  ['CHE', 'CH', 'Switzerland', 'WEOG'],
  ['TUR', 'TR', 'Türkiye', 'WEOG', ['Turkey', 'Republic of Türkiye']],
  [
    'GBR',
    'GB',
    'United Kingdom of Great Britain and Northern Ireland',
    'WEOG',
    ['United Kingdom', 'UK', 'Great Britain'],
  ],
  ['USA', 'US', 'United States of America', 'WEOG', ['United States', 'USA', 'US']],

  ['VAT', 'VA', 'Holy See', '', ['Vatican', 'Vatican City']],
  ['PSE', 'PS', 'State of Palestine', 'APG', ['Palestine', 'Palestine, State of']],
];

const OBSERVERS = new Set(['VAT', 'PSE']);

const GROUP_NOTES: Record<string, string> = {
  KIR: 'Kiribati joined the Asia-Pacific Group in 2010, the last member State to join a group.',
  ISR: 'Israel has been a WEOG member in New York since 2000 and in Geneva since 2014.',
  USA: 'The United States attends WEOG as an observer and is counted in it for elections.',
  TUR: 'Türkiye takes part in both WEOG and the Asia-Pacific Group; it is counted in WEOG for elections.',
  VAT: 'Non-member observer State; in no regional group.',
  PSE: 'Non-member observer State; a full member of the Asia-Pacific Group since 1986.',
};

export const STATES: State[] = ROWS.map(([iso3, iso2, name, group, aliases = []]) => ({
  iso3,
  iso2,
  name,
  status: OBSERVERS.has(iso3) ? 'observer' : 'member',
  ...(group ? { group } : {}),
  ...(GROUP_NOTES[iso3] ? { groupNote: GROUP_NOTES[iso3] } : {}),
  aliases,
}));

/**
 * Comparison key for State names: `normalizeKey` plus hyphens and dots as spaces, no leading "the",
 * and no space next to brackets and commas, so "Venezuela(Bolivarian Republic of)" and "Guinea
 * Bissau" still match. `normalizeWithMap` below must stay in step with it.
 */
function stateKey(value: string): string {
  return normalizeKey(value)
    .replace(/[-.]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s*([(),;])\s*/g, '$1')
    .replace(/^the /, '')
    .trim();
}

const byIso = new Map<string, State>();
const byKey = new Map<string, State>();
for (const state of STATES) {
  byIso.set(state.iso3, state);
  byIso.set(state.iso2, state);
  for (const name of [state.name, ...state.aliases]) byKey.set(stateKey(name), state);
}
// Longest first, so "Guinea-Bissau" wins over "Guinea" and "Iran (Islamic Republic of)" over "Iran".
const keysByLength = [...byKey.keys()].sort((a, b) => b.length - a.length);

/** A State by its name, an older name or an informal one; case, accent and spacing tolerant. */
export function findState(name: string): State | undefined {
  return byKey.get(stateKey(stripBullet(name)));
}

/** A State by ISO 3166 alpha-3 or alpha-2 code. */
export function stateByIso(code: string): State | undefined {
  return byIso.get(code.trim().toUpperCase());
}

/** A State as a person enters it: its name (or an older one), or its ISO 3166 alpha-3 code, any case. */
export function resolveState(nameOrCode: string): State | undefined {
  const code = nameOrCode.trim();
  return findState(nameOrCode) ?? (/^[A-Za-z]{3}$/.test(code) ? stateByIso(code) : undefined);
}

// Where CLDR's region name is not the UN's: observer States it names as territories, and
// colloquial disambiguations ("North Korea", "Congo - Kinshasa", "Myanmar (Burma)").
const NAME_OVERRIDES: Record<string, Omit<Labels, 'en'>> = {
  PS: {
    ar: 'دولة فلسطين',
    zh: '巴勒斯坦国',
    fr: 'État de Palestine',
    ru: 'Государство Палестина',
    es: 'Estado de Palestina',
  },
  VA: { ar: 'الكرسي الرسولي', zh: '教廷', fr: 'Saint-Siège', ru: 'Святейший Престол', es: 'Santa Sede' },
  KP: {
    ar: 'جمهورية كوريا الشعبية الديمقراطية',
    zh: '朝鲜民主主义人民共和国',
    fr: 'République populaire démocratique de Corée',
    ru: 'Корейская Народно-Демократическая Республика',
    es: 'República Popular Democrática de Corea',
  },
  KR: {
    ar: 'جمهورية كوريا',
    zh: '大韩民国',
    fr: 'République de Corée',
    ru: 'Республика Корея',
    es: 'República de Corea',
  },
  CD: {
    ar: 'جمهورية الكونغو الديمقراطية',
    zh: '刚果民主共和国',
    fr: 'République démocratique du Congo',
    ru: 'Демократическая Республика Конго',
    es: 'República Democrática del Congo',
  },
  CG: { ar: 'الكونغو', zh: '刚果', fr: 'Congo', ru: 'Конго', es: 'Congo' },
  MM: { ar: 'ميانمار', zh: '缅甸', fr: 'Myanmar', ru: 'Мьянма', es: 'Myanmar' },
};

const displayNames = new Map<Lang, Intl.DisplayNames>();
const labelCache = new Map<string, Labels>();

/**
 * The State's name in the six UN languages: English is the UN name above, the others come from the
 * runtime's CLDR data (Node with full ICU), except for the few names overridden above.
 */
export function stateLabels(state: State): Labels {
  const cached = labelCache.get(state.iso3);
  if (cached) return cached;
  const labels = Object.fromEntries(
    LANGS.map((lang) => {
      if (lang === 'en') return [lang, state.name];
      const override = NAME_OVERRIDES[state.iso2]?.[lang];
      if (override) return [lang, override];
      let names = displayNames.get(lang);
      if (!names) {
        names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
        displayNames.set(lang, names);
      }
      return [lang, names.of(state.iso2) ?? state.name];
    }),
  ) as Labels;
  labelCache.set(state.iso3, labels);
  return labels;
}

const groupByKey = new Map<string, RegionalGroup>();
for (const group of REGIONAL_GROUPS) {
  for (const name of [group.code, ...Object.values(group.label), ...group.aliases]) {
    groupByKey.set(normalizeKey(name), group);
  }
}

/** A regional group from a UHRI "Regions Concerned" value ("- Western European and other States"), a code or an alias. */
export function resolveRegionalGroup(value: string): RegionalGroup | undefined {
  return groupByKey.get(normalizeKey(stripBullet(value)));
}

// Punctuation between names in a recommending-States cell.
const SEPARATORS = new Set([' ', ',', ';', '(', ')', '[', ']', '/', '|', '*', '\u2022', '\n']);
const CONNECTORS = ['and ', 'the '];

/** `stateKey` applied character by character, keeping where each output character came from. */
function normalizeWithMap(text: string): { norm: string; map: number[] } {
  const chars: string[] = [];
  const map: number[] = [];
  const push = (value: string, index: number) => {
    for (const c of value) {
      const prev = chars[chars.length - 1];
      if (c === ' ' && (prev === undefined || prev === ' ' || '\n(),;'.includes(prev))) continue;
      if ('),;\n('.includes(c) && prev === ' ') {
        chars.pop();
        map.pop();
      }
      chars.push(c);
      map.push(index);
    }
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n' || c === '\r') push('\n', i);
    else if (c === '&') push(' and ', i);
    else if (/[-.\s\u2010-\u2015\u2212]/.test(c)) push(' ', i);
    else if (/[\u2018\u2019\u02bc`´]/.test(c)) push("'", i);
    else push(c.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase(), i);
  }
  return { norm: chars.join(''), map };
}

function matchAt(norm: string, p: number): { state: State; length: number } | undefined {
  for (const key of keysByLength) {
    if (!norm.startsWith(key, p)) continue;
    const next = norm[p + key.length];
    const state = byKey.get(key);
    if (state && (next === undefined || !/[\p{L}\p{N}]/u.test(next))) return { state, length: key.length };
  }
  return undefined;
}

/**
 * Splits a UHRI "UPR Reccomending States" cell (or the "(France) (Lithuania)" tail of a
 * recommendation) into the UN names of the States, in order, without duplicates. Names that hold
 * commas or brackets themselves ("Bolivia (Plurinational State of)") are matched whole, longest
 * first. Anything not recognised is kept verbatim in `unknown`, never dropped.
 */
export function parseStateList(value: string): { states: string[]; unknown: string[] } {
  const { norm, map } = normalizeWithMap(value);
  const states: string[] = [];
  const unknown: string[] = [];
  let p = 0;
  while (p < norm.length) {
    if (SEPARATORS.has(norm[p])) {
      p++;
      continue;
    }
    const match = matchAt(norm, p);
    if (match) {
      if (!states.includes(match.state.name)) states.push(match.state.name);
      p += match.length;
      continue;
    }
    const connector = CONNECTORS.find((word) => norm.startsWith(word, p));
    if (connector && matchAt(norm, p + connector.length)) {
      p += connector.length;
      continue;
    }
    // Unknown text runs to the next separator, or to the next word where a known name starts.
    let q = p + 1;
    while (q < norm.length && !',;()\n'.includes(norm[q])) {
      if (norm[q - 1] === ' ' && matchAt(norm, q)) break;
      q++;
    }
    const raw = stripBullet(value.slice(map[p], map[q - 1] + 1)).replace(/[\s,;]+$/, '');
    if (raw && !unknown.includes(raw)) unknown.push(raw);
    p = q;
  }
  return { states, unknown };
}
