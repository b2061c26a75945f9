import { normalizeKey, stripBullet, type Labels, type PartialLabels } from './labels';

export const MECHANISM_KINDS = [
  'upr',
  'treaty_body',
  'special_procedure',
  'regional',
  'voluntary_pledge',
  'national_plan',
] as const;
export type MechanismKind = (typeof MECHANISM_KINDS)[number];

export interface Mechanism {
  kind: MechanismKind;
  /** Stable code, as UHRI spells it where UHRI has the body (UPR, CEDAW, SR on torture…). */
  code: string;
  /** Official name; Special Procedures carry English only for now (see README of this folder). */
  name: PartialLabels;
  /** Other spellings met in UHRI exports, matrices and reports; matched by `resolveBody`. */
  aliases?: string[];
  /** Treaty bodies: the treaty they monitor and the prefix of their document symbols. */
  treaty?: string;
  symbolPrefix?: string;
  /** Special Procedures. */
  mandate?: 'thematic' | 'country';
  stateIso3?: string;
  /** Regional bodies. */
  organization?: 'OAS' | 'AU' | 'CoE' | 'ASEAN' | 'LAS';
}

export const UPR: Mechanism = {
  kind: 'upr',
  code: 'UPR',
  name: {
    ar: 'الاستعراض الدوري الشامل',
    zh: '普遍定期审议',
    en: 'Universal Periodic Review',
    fr: 'Examen périodique universel',
    ru: 'Универсальный периодический обзор',
    es: 'Examen Periódico Universal',
  },
  aliases: ['EPU', 'UPR Working Group', 'Working Group on the Universal Periodic Review'],
};

const tb = (code: string, treaty: string, symbolPrefix: string, name: Labels, aliases: string[] = []) =>
  ({ kind: 'treaty_body', code, treaty, symbolPrefix, name, aliases: [treaty, ...aliases] }) as Mechanism;

export const TREATY_BODIES: Mechanism[] = [
  tb('CERD', 'ICERD', 'CERD/C', {
    ar: 'لجنة القضاء على التمييز العنصري',
    zh: '消除种族歧视委员会',
    en: 'Committee on the Elimination of Racial Discrimination',
    fr: "Comité pour l'élimination de la discrimination raciale",
    ru: 'Комитет по ликвидации расовой дискриминации',
    es: 'Comité para la Eliminación de la Discriminación Racial',
  }),
  tb(
    'CESCR',
    'ICESCR',
    'E/C.12',
    {
      ar: 'اللجنة المعنية بالحقوق الاقتصادية والاجتماعية والثقافية',
      zh: '经济、社会及文化权利委员会',
      en: 'Committee on Economic, Social and Cultural Rights',
      fr: 'Comité des droits économiques, sociaux et culturels',
      ru: 'Комитет по экономическим, социальным и культурным правам',
      es: 'Comité de Derechos Económicos, Sociales y Culturales',
    },
    ['ESCR Committee', 'CDESC'],
  ),
  tb(
    'CCPR',
    'ICCPR',
    'CCPR/C',
    {
      ar: 'اللجنة المعنية بحقوق الإنسان',
      zh: '人权事务委员会',
      en: 'Human Rights Committee',
      fr: "Comité des droits de l'homme",
      ru: 'Комитет по правам человека',
      es: 'Comité de Derechos Humanos',
    },
    ['HRCttee', 'HR Committee', 'HRCee', 'CCPR Committee'],
  ),
  tb(
    'CEDAW',
    'CEDAW',
    'CEDAW/C',
    {
      ar: 'اللجنة المعنية بالقضاء على التمييز ضد المرأة',
      zh: '消除对妇女歧视委员会',
      en: 'Committee on the Elimination of Discrimination against Women',
      fr: "Comité pour l'élimination de la discrimination à l'égard des femmes",
      ru: 'Комитет по ликвидации дискриминации в отношении женщин',
      es: 'Comité para la Eliminación de la Discriminación contra la Mujer',
    },
    ['CEDAW Committee'],
  ),
  tb('CAT', 'CAT', 'CAT/C', {
    ar: 'لجنة مناهضة التعذيب',
    zh: '禁止酷刑委员会',
    en: 'Committee against Torture',
    fr: 'Comité contre la torture',
    ru: 'Комитет против пыток',
    es: 'Comité contra la Tortura',
  }),
  tb(
    'SPT',
    'OPCAT',
    'CAT/OP',
    {
      ar: 'اللجنة الفرعية لمنع التعذيب وغيره من ضروب المعاملة أو العقوبة القاسية أو اللاإنسانية أو المهينة',
      zh: '防止酷刑和其他残忍、不人道或有辱人格的待遇或处罚小组委员会',
      en: 'Subcommittee on Prevention of Torture and Other Cruel, Inhuman or Degrading Treatment or Punishment',
      fr: 'Sous-comité pour la prévention de la torture et autres peines ou traitements cruels, inhumains ou dégradants',
      ru: 'Подкомитет по предупреждению пыток и других жестоких, бесчеловечных или унижающих достоинство видов обращения и наказания',
      es: 'Subcomité para la Prevención de la Tortura y Otros Tratos o Penas Crueles, Inhumanos o Degradantes',
    },
    ['Subcommittee on Prevention of Torture', 'Subcommittee on the Prevention of Torture', 'SPT'],
  ),
  tb('CRC', 'CRC', 'CRC/C', {
    ar: 'لجنة حقوق الطفل',
    zh: '儿童权利委员会',
    en: 'Committee on the Rights of the Child',
    fr: "Comité des droits de l'enfant",
    ru: 'Комитет по правам ребенка',
    es: 'Comité de los Derechos del Niño',
  }),
  tb(
    'CMW',
    'ICRMW',
    'CMW/C',
    {
      ar: 'اللجنة المعنية بحماية حقوق جميع العمال المهاجرين وأفراد أسرهم',
      zh: '保护所有移徙工人及其家庭成员权利委员会',
      en: 'Committee on the Protection of the Rights of All Migrant Workers and Members of Their Families',
      fr: 'Comité pour la protection des droits de tous les travailleurs migrants et des membres de leur famille',
      ru: 'Комитет по защите прав всех трудящихся-мигрантов и членов их семей',
      es: 'Comité de Protección de los Derechos de Todos los Trabajadores Migratorios y de Sus Familiares',
    },
    ['Committee on Migrant Workers'],
  ),
  tb('CRPD', 'CRPD', 'CRPD/C', {
    ar: 'اللجنة المعنية بحقوق الأشخاص ذوي الإعاقة',
    zh: '残疾人权利委员会',
    en: 'Committee on the Rights of Persons with Disabilities',
    fr: 'Comité des droits des personnes handicapées',
    ru: 'Комитет по правам инвалидов',
    es: 'Comité sobre los Derechos de las Personas con Discapacidad',
  }),
  tb(
    'CED',
    'ICPPED',
    'CED/C',
    {
      ar: 'اللجنة المعنية بحالات الاختفاء القسري',
      zh: '强迫失踪问题委员会',
      en: 'Committee on Enforced Disappearances',
      fr: 'Comité des disparitions forcées',
      ru: 'Комитет по насильственным исчезновениям',
      es: 'Comité contra la Desaparición Forzada',
    },
    ['CPED'],
  ),
];

// [code, official English title, aliases]; codes follow UHRI's "SR/WG/IE on <topic>" shorthand.
const THEMATIC: [string, string, string[]?][] = [
  [
    'SR on adequate housing',
    'Special Rapporteur on adequate housing as a component of the right to an adequate standard of living, and on the right to non-discrimination in this context',
    ['SR on housing', 'SR on the right to adequate housing'],
  ],
  ['WG on people of African descent', 'Working Group of Experts on People of African Descent', ['WGEPAD']],
  ['IE on albinism', 'Independent Expert on the enjoyment of human rights by persons with albinism'],
  ['WG on arbitrary detention', 'Working Group on Arbitrary Detention', ['WGAD']],
  [
    'WG on business and human rights',
    'Working Group on the issue of human rights and transnational corporations and other business enterprises',
    ['WG on business', 'WG on transnational corporations'],
  ],
  [
    'SR on climate change',
    'Special Rapporteur on the promotion and protection of human rights in the context of climate change',
  ],
  ['SR on cultural rights', 'Special Rapporteur in the field of cultural rights', ['IE on cultural rights']],
  ['SR on the right to development', 'Special Rapporteur on the right to development', ['SR on development']],
  [
    'SR on disability',
    'Special Rapporteur on the rights of persons with disabilities',
    ['SR on persons with disabilities', 'SR on disabilities'],
  ],
  [
    'WG on enforced disappearances',
    'Working Group on Enforced or Involuntary Disappearances',
    ['WGEID', 'WG on enforced or involuntary disappearances'],
  ],
  ['SR on education', 'Special Rapporteur on the right to education'],
  [
    'SR on environment',
    'Special Rapporteur on the issue of human rights obligations relating to the enjoyment of a safe, clean, healthy and sustainable environment',
    ['SR on the environment', 'SR on human rights and the environment', 'IE on environment'],
  ],
  [
    'SR on summary executions',
    'Special Rapporteur on extrajudicial, summary or arbitrary executions',
    ['SR on extrajudicial executions', 'SR on arbitrary executions'],
  ],
  [
    'SR on extreme poverty',
    'Special Rapporteur on extreme poverty and human rights',
    ['IE on extreme poverty'],
  ],
  ['SR on food', 'Special Rapporteur on the right to food', ['SR on the right to food']],
  [
    'IE on foreign debt',
    'Independent Expert on the effects of foreign debt and other related international financial obligations of States on the full enjoyment of all human rights, particularly economic, social and cultural rights',
  ],
  [
    'SR on freedom of assembly and association',
    'Special Rapporteur on the rights to freedom of peaceful assembly and of association',
    ['SR on freedom of peaceful assembly and of association', 'SR on freedom of assembly'],
  ],
  [
    'SR on freedom of expression',
    'Special Rapporteur on the promotion and protection of the right to freedom of opinion and expression',
    ['SR on freedom of opinion and expression'],
  ],
  [
    'SR on freedom of religion',
    'Special Rapporteur on freedom of religion or belief',
    ['SR on freedom of religion or belief'],
  ],
  [
    'SR on health',
    'Special Rapporteur on the right of everyone to the enjoyment of the highest attainable standard of physical and mental health',
    ['SR on the right to health'],
  ],
  [
    'SR on human rights defenders',
    'Special Rapporteur on the situation of human rights defenders',
    ['SR on HRDs'],
  ],
  [
    'SR on independence of judges and lawyers',
    'Special Rapporteur on the independence of judges and lawyers',
    ['SR on judges and lawyers'],
  ],
  ['SR on indigenous peoples', 'Special Rapporteur on the rights of Indigenous Peoples'],
  [
    'SR on internally displaced persons',
    'Special Rapporteur on the human rights of internally displaced persons',
    ['SR on IDPs'],
  ],
  [
    'IE on international order',
    'Independent Expert on the promotion of a democratic and equitable international order',
  ],
  ['IE on international solidarity', 'Independent Expert on human rights and international solidarity'],
  [
    'WG on mercenaries',
    'Working Group on the use of mercenaries as a means of violating human rights and impeding the exercise of the right of peoples to self-determination',
  ],
  ['SR on migrants', 'Special Rapporteur on the human rights of migrants'],
  [
    'SR on minority issues',
    'Special Rapporteur on minority issues',
    ['IE on minority issues', 'SR on minorities'],
  ],
  ['IE on older persons', 'Independent Expert on the enjoyment of all human rights by older persons'],
  ['SR on privacy', 'Special Rapporteur on the right to privacy'],
  [
    'SR on racism',
    'Special Rapporteur on contemporary forms of racism, racial discrimination, xenophobia and related intolerance',
  ],
  [
    'SR on sale of children',
    'Special Rapporteur on the sale, sexual exploitation and sexual abuse of children',
    ['SR on sale and sexual exploitation of children', 'SR on the sale of children'],
  ],
  [
    'SR on slavery',
    'Special Rapporteur on contemporary forms of slavery, including its causes and consequences',
    ['SR on contemporary forms of slavery'],
  ],
  [
    'SR on counter-terrorism',
    'Special Rapporteur on the promotion and protection of human rights and fundamental freedoms while countering terrorism',
    ['SR on terrorism', 'SR on counter terrorism'],
  ],
  [
    'SR on torture',
    'Special Rapporteur on torture and other cruel, inhuman or degrading treatment or punishment',
  ],
  [
    'SR on toxic waste',
    'Special Rapporteur on the implications for human rights of the environmentally sound management and disposal of hazardous substances and wastes',
    ['SR on toxics', 'SR on hazardous substances and wastes', 'SR on toxic wastes'],
  ],
  [
    'SR on trafficking in persons',
    'Special Rapporteur on trafficking in persons, especially women and children',
    ['SR on trafficking'],
  ],
  [
    'SR on truth, justice and reparation',
    'Special Rapporteur on the promotion of truth, justice, reparation and guarantees of non-recurrence',
    ['SR on truth', 'SR on transitional justice'],
  ],
  [
    'SR on unilateral coercive measures',
    'Special Rapporteur on the negative impact of unilateral coercive measures on the enjoyment of human rights',
    ['SR on UCM'],
  ],
  [
    'SR on violence against women',
    'Special Rapporteur on violence against women and girls, its causes and consequences',
    ['SR on VAW'],
  ],
  [
    'SR on water and sanitation',
    'Special Rapporteur on the human rights to safe drinking water and sanitation',
    ['SR on the right to water and sanitation', 'IE on water and sanitation'],
  ],
  [
    'WG on discrimination against women and girls',
    'Working Group on discrimination against women and girls',
    ['WG on discrimination against women', 'WGDAWG'],
  ],
  [
    'IE on sexual orientation and gender identity',
    'Independent Expert on protection against violence and discrimination based on sexual orientation and gender identity',
    ['IE on SOGI'],
  ],
  [
    'SR on leprosy',
    'Special Rapporteur on the elimination of discrimination against persons affected by leprosy and their family members',
  ],
];

// Country mandates, including two past ones (Haiti, Sudan) whose recommendations still appear in UHRI.
const COUNTRY: [string, string, string][] = [
  ['SR on Afghanistan', 'AFG', 'Special Rapporteur on the situation of human rights in Afghanistan'],
  ['SR on Belarus', 'BLR', 'Special Rapporteur on the situation of human rights in Belarus'],
  ['SR on Burundi', 'BDI', 'Special Rapporteur on the situation of human rights in Burundi'],
  ['SR on Cambodia', 'KHM', 'Special Rapporteur on the situation of human rights in Cambodia'],
  [
    'IE on Central African Republic',
    'CAF',
    'Independent Expert on the situation of human rights in the Central African Republic',
  ],
  [
    'SR on DPRK',
    'PRK',
    "Special Rapporteur on the situation of human rights in the Democratic People's Republic of Korea",
  ],
  ['SR on Eritrea', 'ERI', 'Special Rapporteur on the situation of human rights in Eritrea'],
  ['IE on Haiti', 'HTI', 'Independent Expert on the situation of human rights in Haiti'],
  [
    'SR on Iran',
    'IRN',
    'Special Rapporteur on the situation of human rights in the Islamic Republic of Iran',
  ],
  ['IE on Mali', 'MLI', 'Independent Expert on the situation of human rights in Mali'],
  ['SR on Myanmar', 'MMR', 'Special Rapporteur on the situation of human rights in Myanmar'],
  [
    'SR on occupied Palestinian territories',
    'PSE',
    'Special Rapporteur on the situation of human rights in the Palestinian territories occupied since 1967',
  ],
  [
    'SR on Russian Federation',
    'RUS',
    'Special Rapporteur on the situation of human rights in the Russian Federation',
  ],
  ['IE on Somalia', 'SOM', 'Independent Expert on the situation of human rights in Somalia'],
  ['IE on Sudan', 'SDN', 'Independent Expert on the situation of human rights in the Sudan'],
  ['SR on Syria', 'SYR', 'Special Rapporteur on the situation of human rights in the Syrian Arab Republic'],
];

export const SPECIAL_PROCEDURES: Mechanism[] = [
  ...THEMATIC.map(([code, en, aliases = []]): Mechanism => ({
    kind: 'special_procedure',
    code,
    name: { en },
    aliases,
    mandate: 'thematic',
  })),
  ...COUNTRY.map(([code, stateIso3, en]): Mechanism => ({
    kind: 'special_procedure',
    code,
    name: { en },
    mandate: 'country',
    stateIso3,
  })),
];

const rb = (code: string, organization: Mechanism['organization'], name: Labels, aliases: string[] = []) =>
  ({ kind: 'regional', code, organization, name, aliases }) as Mechanism;

export const REGIONAL_BODIES: Mechanism[] = [
  rb(
    'IACHR',
    'OAS',
    {
      ar: 'لجنة البلدان الأمريكية لحقوق الإنسان',
      zh: '美洲人权委员会',
      en: 'Inter-American Commission on Human Rights',
      fr: "Commission interaméricaine des droits de l'homme",
      ru: 'Межамериканская комиссия по правам человека',
      es: 'Comisión Interamericana de Derechos Humanos',
    },
    ['CIDH', 'Inter-American Commission'],
  ),
  rb(
    'IACtHR',
    'OAS',
    {
      ar: 'محكمة البلدان الأمريكية لحقوق الإنسان',
      zh: '美洲人权法院',
      en: 'Inter-American Court of Human Rights',
      fr: "Cour interaméricaine des droits de l'homme",
      ru: 'Межамериканский суд по правам человека',
      es: 'Corte Interamericana de Derechos Humanos',
    },
    ['Corte IDH', 'Inter-American Court'],
  ),
  rb(
    'ACHPR',
    'AU',
    {
      ar: 'اللجنة الأفريقية لحقوق الإنسان والشعوب',
      zh: '非洲人权和民族权委员会',
      en: "African Commission on Human and Peoples' Rights",
      fr: "Commission africaine des droits de l'homme et des peuples",
      ru: 'Африканская комиссия по правам человека и народов',
      es: 'Comisión Africana de Derechos Humanos y de los Pueblos',
    },
    ['African Commission', 'CADHP'],
  ),
  rb(
    'AfCHPR',
    'AU',
    {
      ar: 'المحكمة الأفريقية لحقوق الإنسان والشعوب',
      zh: '非洲人权和民族权法院',
      en: "African Court on Human and Peoples' Rights",
      fr: "Cour africaine des droits de l'homme et des peuples",
      ru: 'Африканский суд по правам человека и народов',
      es: 'Corte Africana de Derechos Humanos y de los Pueblos',
    },
    ['African Court', 'ACtHPR'],
  ),
  rb('ACERWC', 'AU', {
    ar: 'لجنة الخبراء الأفريقية المعنية بحقوق الطفل ورفاهه',
    zh: '非洲儿童权利和福利专家委员会',
    en: 'African Committee of Experts on the Rights and Welfare of the Child',
    fr: "Comité africain d'experts sur les droits et le bien-être de l'enfant",
    ru: 'Африканский комитет экспертов по правам и благосостоянию ребенка',
    es: 'Comité Africano de Expertos sobre los Derechos y el Bienestar del Niño',
  }),
  rb(
    'ECtHR',
    'CoE',
    {
      ar: 'المحكمة الأوروبية لحقوق الإنسان',
      zh: '欧洲人权法院',
      en: 'European Court of Human Rights',
      fr: "Cour européenne des droits de l'homme",
      ru: 'Европейский суд по правам человека',
      es: 'Tribunal Europeo de Derechos Humanos',
    },
    ['ECHR', 'European Court'],
  ),
  rb('ECRI', 'CoE', {
    ar: 'اللجنة الأوروبية لمناهضة العنصرية والتعصب',
    zh: '欧洲反对种族主义和不容忍委员会',
    en: 'European Commission against Racism and Intolerance',
    fr: "Commission européenne contre le racisme et l'intolérance",
    ru: 'Европейская комиссия по борьбе с расизмом и нетерпимостью',
    es: 'Comisión Europea contra el Racismo y la Intolerancia',
  }),
  rb('GRETA', 'CoE', {
    ar: 'فريق الخبراء المعني بمكافحة الاتجار بالبشر',
    zh: '打击贩运人口行动专家组',
    en: 'Group of Experts on Action against Trafficking in Human Beings',
    fr: "Groupe d'experts sur la lutte contre la traite des êtres humains",
    ru: 'Группа экспертов по противодействию торговле людьми',
    es: 'Grupo de Expertos sobre la Lucha contra la Trata de Seres Humanos',
  }),
  rb('GREVIO', 'CoE', {
    ar: 'فريق الخبراء المعني بمكافحة العنف ضد المرأة والعنف المنزلي',
    zh: '打击暴力侵害妇女行为和家庭暴力行动专家组',
    en: 'Group of Experts on Action against Violence against Women and Domestic Violence',
    fr: "Groupe d'experts sur la lutte contre la violence à l'égard des femmes et la violence domestique",
    ru: 'Группа экспертов по борьбе с насилием в отношении женщин и домашним насилием',
    es: 'Grupo de Expertos en la Lucha contra la Violencia contra las Mujeres y la Violencia Doméstica',
  }),
  rb(
    'CPT',
    'CoE',
    {
      ar: 'اللجنة الأوروبية لمنع التعذيب والمعاملة أو العقوبة اللاإنسانية أو المهينة',
      zh: '欧洲防止酷刑和不人道或有辱人格的待遇或处罚委员会',
      en: 'European Committee for the Prevention of Torture and Inhuman or Degrading Treatment or Punishment',
      fr: 'Comité européen pour la prévention de la torture et des peines ou traitements inhumains ou dégradants',
      ru: 'Европейский комитет по предупреждению пыток и бесчеловечного или унижающего достоинство обращения или наказания',
      es: 'Comité Europeo para la Prevención de la Tortura y de las Penas o Tratos Inhumanos o Degradantes',
    },
    ['European Committee for the Prevention of Torture'],
  ),
  rb(
    'ECSR',
    'CoE',
    {
      ar: 'اللجنة الأوروبية للحقوق الاجتماعية',
      zh: '欧洲社会权利委员会',
      en: 'European Committee of Social Rights',
      fr: 'Comité européen des droits sociaux',
      ru: 'Европейский комитет по социальным правам',
      es: 'Comité Europeo de Derechos Sociales',
    },
    ['CEDS'],
  ),
  rb(
    'CDL',
    'CoE',
    {
      ar: 'اللجنة الأوروبية للديمقراطية من خلال القانون (لجنة البندقية)',
      zh: '欧洲民主法治委员会（威尼斯委员会）',
      en: 'European Commission for Democracy through Law (Venice Commission)',
      fr: 'Commission européenne pour la démocratie par le droit (Commission de Venise)',
      ru: 'Европейская комиссия за демократию через право (Венецианская комиссия)',
      es: 'Comisión Europea para la Democracia por el Derecho (Comisión de Venecia)',
    },
    ['Venice Commission', 'European Commission for Democracy through Law'],
  ),
  rb(
    'ACFC',
    'CoE',
    {
      ar: 'اللجنة الاستشارية للاتفاقية الإطارية لحماية الأقليات القومية',
      zh: '保护少数民族框架公约咨询委员会',
      en: 'Advisory Committee on the Framework Convention for the Protection of National Minorities',
      fr: 'Comité consultatif de la Convention-cadre pour la protection des minorités nationales',
      ru: 'Консультативный комитет Рамочной конвенции о защите национальных меньшинств',
      es: 'Comité Consultivo del Convenio Marco para la Protección de las Minorías Nacionales',
    },
    ['FCNM Advisory Committee'],
  ),
  rb('GRECO', 'CoE', {
    ar: 'مجموعة الدول لمكافحة الفساد',
    zh: '反腐败国家集团',
    en: 'Group of States against Corruption',
    fr: "Groupe d'États contre la corruption",
    ru: 'Группа государств против коррупции',
    es: 'Grupo de Estados contra la Corrupción',
  }),
  rb('CommDH', 'CoE', {
    ar: 'مفوض حقوق الإنسان في مجلس أوروبا',
    zh: '欧洲委员会人权专员',
    en: 'Council of Europe Commissioner for Human Rights',
    fr: "Commissaire aux droits de l'homme du Conseil de l'Europe",
    ru: 'Комиссар Совета Европы по правам человека',
    es: 'Comisario de Derechos Humanos del Consejo de Europa',
  }),
  rb('AICHR', 'ASEAN', {
    ar: 'اللجنة الحكومية الدولية لحقوق الإنسان التابعة لرابطة أمم جنوب شرق آسيا',
    zh: '东盟政府间人权委员会',
    en: 'ASEAN Intergovernmental Commission on Human Rights',
    fr: "Commission intergouvernementale des droits de l'homme de l'ASEAN",
    ru: 'Межправительственная комиссия АСЕАН по правам человека',
    es: 'Comisión Intergubernamental de Derechos Humanos de la ASEAN',
  }),
  rb(
    'ArabHRC',
    'LAS',
    {
      ar: 'لجنة حقوق الإنسان العربية',
      zh: '阿拉伯人权委员会',
      en: 'Arab Human Rights Committee',
      fr: "Comité arabe des droits de l'homme",
      ru: 'Арабский комитет по правам человека',
      es: 'Comité Árabe de Derechos Humanos',
    },
    ['Arab Charter Committee'],
  ),
];

export const NATIONAL_COMMITMENTS: Mechanism[] = [
  {
    kind: 'voluntary_pledge',
    code: 'VP',
    name: {
      ar: 'التعهدات والالتزامات الطوعية',
      zh: '自愿认捐和承诺',
      en: 'Voluntary pledges and commitments',
      fr: 'Engagements et contributions volontaires',
      ru: 'Добровольные обещания и обязательства',
      es: 'Promesas y compromisos voluntarios',
    },
    aliases: ['Voluntary pledge', 'Human Rights 75 pledge', 'HR75'],
  },
  {
    kind: 'national_plan',
    code: 'NAP',
    name: {
      ar: 'خطة العمل الوطنية لحقوق الإنسان',
      zh: '国家人权行动计划',
      en: 'National human rights action plan',
      fr: "Plan d'action national pour les droits de l'homme",
      ru: 'Национальный план действий в области прав человека',
      es: 'Plan de acción nacional de derechos humanos',
    },
    aliases: ['National action plan', 'NHRAP'],
  },
];

export const MECHANISMS: Mechanism[] = [
  UPR,
  ...TREATY_BODIES,
  ...SPECIAL_PROCEDURES,
  ...REGIONAL_BODIES,
  ...NATIONAL_COMMITMENTS,
];

/** Special Procedures spell their titles long or short ("Special Rapporteur on ..." = "SR on ..."). */
function spForm(value: string): string {
  return normalizeKey(value)
    .replace(/^special rapporteurs?\b/, 'sr')
    .replace(/^working group( of experts)?\b/, 'wg')
    .replace(/^independent experts?\b/, 'ie')
    .replace(/^(sr|wg|ie) (on|in|of)\b/, '$1 on');
}

const STOP = new Set(['on', 'in', 'of', 'the', 'to', 'and', 'a', 'for', 'its', 'all', 'by', 'with']);
const words = (key: string) => key.split(/[^\p{L}\p{N}]+/u).filter((w) => w && !STOP.has(w));

const exactIndex = new Map<string, Mechanism>();
for (const mechanism of MECHANISMS) {
  const names = [mechanism.code, ...Object.values(mechanism.name), ...(mechanism.aliases ?? [])];
  for (const name of names) {
    for (const key of [normalizeKey(name), spForm(name)]) {
      if (!exactIndex.has(key)) exactIndex.set(key, mechanism);
    }
  }
}

/**
 * The mechanism a UHRI "Reccomending Body" value or a free-typed body name refers to: "- UPR", "CEDAW",
 * "Committee on the Elimination of Discrimination against Women", "HR Committee", "Special
 * Rapporteur on torture and other ...", "Venice Commission"; also names in the other UN languages.
 * Undefined when unknown, so the caller keeps the raw value.
 */
export function resolveBody(value: string): Pick<Mechanism, 'kind' | 'code'> | undefined {
  const found = findMechanism(value);
  return found && { kind: found.kind, code: found.code };
}

/** Same as `resolveBody`, returning the whole record. */
export function findMechanism(value: string): Mechanism | undefined {
  const raw = stripBullet(value)
    .replace(/^the\s+/i, '')
    .trim();
  if (!raw) return undefined;
  const exact = exactIndex.get(normalizeKey(raw)) ?? exactIndex.get(spForm(raw));
  if (exact) return exact;
  // "Committee against Torture (CAT)": try the name, then the acronym.
  const paren = /^(.*?)\s*\(([^()]+)\)\s*$/.exec(raw);
  if (paren) return findMechanism(paren[1]) ?? findMechanism(paren[2]);
  return fuzzySpecialProcedure(spForm(raw));
}

/** Longer titles than the shipped ones: the mandate whose every significant word appears. */
function fuzzySpecialProcedure(key: string): Mechanism | undefined {
  const type = /^(sr|wg|ie) /.exec(key)?.[1];
  if (!type) return undefined;
  const input = new Set(words(key));
  let best: { mechanism: Mechanism; size: number } | undefined;
  for (const mechanism of SPECIAL_PROCEDURES) {
    for (const name of [mechanism.code, mechanism.name.en, ...(mechanism.aliases ?? [])]) {
      const form = spForm(name);
      if (!form.startsWith(`${type} `)) continue;
      const needed = words(form);
      if (needed.every((w) => input.has(w)) && (!best || needed.length > best.size)) {
        best = { mechanism, size: needed.length };
      }
    }
  }
  return best?.mechanism;
}
