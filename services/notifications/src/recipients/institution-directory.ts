import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InstitutionPeople } from './institution-people.entity';

export interface InstitutionEntry {
  institutionId: string;
  focalPointIds: string[];
  validatorIds: string[];
  names: Partial<Record<string, string>>;
}

/** The institutions' people, kept by upsert from InstitutionChanged (each event carries the whole entry). */
@Injectable()
export class InstitutionDirectory {
  async institutionChanged(entry: InstitutionEntry, manager: EntityManager): Promise<void> {
    const names = Object.fromEntries(Object.entries(entry.names).filter(([, name]) => Boolean(name)));
    await manager.upsert(
      InstitutionPeople,
      {
        institutionId: entry.institutionId,
        focalPointIds: [...new Set(entry.focalPointIds)],
        validatorIds: [...new Set(entry.validatorIds)],
        names,
        updatedAt: new Date(),
      },
      { conflictPaths: ['institutionId'] },
    );
  }
}
