import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * National clusters (ClusterChanged): their names, and who belongs to them. Membership is kept apart
 * from recommendation_view, since a cluster's event may overtake its recommendations' on the topic;
 * recommendation_view.clusters (cluster ids, counted by the dashboards) is copied from it.
 */
export class ClusterView1767000000401 implements MigrationInterface {
  name = 'ClusterView1767000000401';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE cluster_view (
        cluster_id uuid PRIMARY KEY,
        name text NOT NULL,
        basis text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE cluster_member_view (
        cluster_id uuid NOT NULL,
        recommendation_id uuid NOT NULL,
        PRIMARY KEY (recommendation_id, cluster_id)
      )`);
    await queryRunner.query(`CREATE INDEX cluster_member_view_cluster ON cluster_member_view (cluster_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE cluster_member_view`);
    await queryRunner.query(`DROP TABLE cluster_view`);
  }
}
