import { InstitutionKind as ContractKind, type PayloadInit } from '@nmirf/contracts';
import type { PendingEvent } from '@nmirf/platform';
import type { InstitutionKind } from './institution';
import type { Institution } from './institution.entity';

const contractKind: Record<InstitutionKind, ContractKind> = {
  ministry: ContractKind.MINISTRY,
  agency: ContractKind.AGENCY,
  parliament: ContractKind.PARLIAMENT,
  judiciary: ContractKind.JUDICIARY,
  nhri: ContractKind.NHRI,
  civil_society: ContractKind.CIVIL_SOCIETY,
  other: ContractKind.OTHER,
};

/** The whole entry, as other services keep it (reporting shows the names, notifications mails the people). */
export function institutionChanged(institution: Institution): PendingEvent {
  const payload: PayloadInit<'institutionChanged'> = {
    institutionId: institution.id,
    kind: contractKind[institution.kind],
    parentId: institution.parentId ?? '',
    names: {
      $typeName: 'nmirf.events.v1.InstitutionNames',
      en: institution.nameEn,
      fr: institution.nameFr ?? '',
      es: institution.nameEs ?? '',
      ru: institution.nameRu ?? '',
      zh: institution.nameZh ?? '',
      ar: institution.nameAr ?? '',
    },
    acronym: institution.acronym ?? '',
    active: institution.active,
    focalPointIds: institution.focalPointIds,
    validatorIds: institution.validatorIds,
  };
  return { case: 'institutionChanged', aggregateId: institution.id, payload };
}
