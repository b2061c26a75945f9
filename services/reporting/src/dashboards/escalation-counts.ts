import { Injectable } from '@nestjs/common';
import type { Principal } from '@nmirf/platform';
import { DataSource } from 'typeorm';
import { scopeOf, type DashboardScope } from './dashboard-query';

export const ESCALATION_RUNGS = ['focal_point', 'institution_validator', 'coordinator'] as const;
export type EscalationRung = (typeof ESCALATION_RUNGS)[number];

export interface InstitutionEscalations {
  /** The lead institution's directory id when the read model knows the action, else its name. */
  institutionId: string;
  institution: string;
  /** Escalation steps taken, every rung. */
  escalations: number;
  /** Actions escalated at least once. */
  actions: number;
  byRung: Record<EscalationRung, number>;
}

export interface EscalationCountsView {
  scope: DashboardScope['kind'];
  total: number;
  institutions: InstitutionEscalations[];
}

/** How often overdue actions climbed the escalation ladder, per responsible institution (ActionEscalated). */
@Injectable()
export class EscalationCounts {
  constructor(private readonly dataSource: DataSource) {}

  async byInstitution(caller: Principal | undefined): Promise<EscalationCountsView> {
    const scope = scopeOf(caller);
    const params: unknown[] = [];
    let where = '';
    if (scope.kind === 'institutions') {
      params.push(scope.institutions);
      where = `WHERE e.action_id IN (SELECT action_id FROM action_institution_view
                                       WHERE lower(institution_id) = ANY($1))`;
    }
    if (scope.kind === 'public') where = 'WHERE false';
    const rows: Array<{
      institution_id: string;
      institution: string;
      rung: string;
      n: string;
      actions: string;
    }> = await this.dataSource.query(
      `SELECT coalesce(a.lead_institution_id, e.institution) AS institution_id, min(e.institution) AS institution,
                e.rung, count(*) AS n, count(DISTINCT e.action_id) AS actions
           FROM action_escalation_view e LEFT JOIN action_view a ON a.action_id = e.action_id
           ${where}
          GROUP BY 1, e.rung`,
      params,
    );
    const byInstitution = new Map<string, InstitutionEscalations>();
    for (const row of rows) {
      const entry = byInstitution.get(row.institution_id) ?? {
        institutionId: row.institution_id,
        institution: row.institution,
        escalations: 0,
        actions: 0,
        byRung: { focal_point: 0, institution_validator: 0, coordinator: 0 },
      };
      entry.escalations += Number(row.n);
      // Every escalated action has its first step: the most actions any rung counts.
      entry.actions = Math.max(entry.actions, Number(row.actions));
      if ((ESCALATION_RUNGS as readonly string[]).includes(row.rung))
        entry.byRung[row.rung as EscalationRung] += Number(row.n);
      byInstitution.set(row.institution_id, entry);
    }
    const institutions = [...byInstitution.values()].sort(
      (a, b) => b.escalations - a.escalations || a.institutionId.localeCompare(b.institutionId),
    );
    return {
      scope: scope.kind,
      total: institutions.reduce((sum, entry) => sum + entry.escalations, 0),
      institutions,
    };
  }
}
