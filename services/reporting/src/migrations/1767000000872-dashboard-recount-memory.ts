import { MigrationInterface, QueryRunner } from 'typeorm';

/** The recount's functions and the memory each may sort and hash in (as migrations 500 and 870 left them). */
const RECOUNTS: Array<[name: string, before: string]> = [
  ['rebuild_dashboard_key_counts', '256MB'],
  ['rebuild_dashboard_counts_before_drills', '256MB'],
  ['rebuild_institution_drill_counts', '256MB'],
];

/**
 * The recount at national scale (250,000 recommendations, 1,000,000 actions) wrote a gigabyte of
 * temporary files: the per-institution recommendation counters grouped some 30 million rows by
 * sorting them (the planner reckons ten keys per array), and the per-institution recommendation
 * table sorted five million. Its functions now hash rather than sort where they may, and have
 * 512 MB for what they still sort (the rows written in key order) and hash (twice that): only the
 * recount's own session, only while it runs.
 */
export class DashboardRecountMemory1767000000872 implements MigrationInterface {
  name = 'DashboardRecountMemory1767000000872';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const [name] of RECOUNTS)
      await queryRunner.query(`ALTER FUNCTION ${name}() SET work_mem = '512MB' SET enable_sort = off`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const [name, before] of RECOUNTS)
      await queryRunner.query(`ALTER FUNCTION ${name}() SET work_mem = '${before}' RESET enable_sort`);
  }
}
