import type { EntityManager } from 'typeorm';
import type { ActionFacts } from '../progress/progress-report';
import { workflowStatus } from '../progress/progress-report';
import type { AuthorRole, Comment, Mention, ThreadFacts } from './comment';

const COLUMNS = `id, action_id, body, mentions, author_id, author_name, author_role, author_institution_id,
  created_at, edited_at, deleted_at, deleted_by`;

interface CommentRow {
  id: string;
  action_id: string;
  body: string;
  mentions: Mention[];
  author_id: string;
  author_name: string;
  author_role: AuthorRole;
  author_institution_id: string | null;
  created_at: Date;
  edited_at: Date | null;
  deleted_at: Date | null;
  deleted_by: string | null;
}

const commentOf = (row: CommentRow): Comment => ({
  id: row.id,
  actionId: row.action_id,
  text: row.body,
  mentions: row.mentions,
  authorId: row.author_id,
  authorName: row.author_name,
  authorRole: row.author_role,
  authorInstitutionId: row.author_institution_id,
  createdAt: row.created_at,
  editedAt: row.edited_at,
  deletedAt: row.deleted_at,
  deletedBy: row.deleted_by,
});

/** The comment threads' SQL, and what they need of the action and the directory, in the caller's transaction. */
export class CommentRepository {
  constructor(readonly manager: EntityManager) {}

  /**
   * The action as the access policy (`maySeeAction`) and the mentions need it, or null. `lock` takes
   * the action's row in share mode: a comment and a reassignment of the action do not interleave.
   */
  async thread(id: string, options: { lock?: boolean } = {}): Promise<(ActionFacts & ThreadFacts) | null> {
    const rows: { title: string; status: string; lead: string | null; version: number }[] =
      await this.manager.query(
        `SELECT title, status, lead_institution_id AS lead, version FROM actions WHERE id = $1${
          options.lock ? ' FOR SHARE' : ''
        }`,
        [id],
      );
    if (rows.length === 0) return null;
    const supporting: { institution_id: string }[] = await this.manager.query(
      `SELECT institution_id FROM action_supporting_institutions WHERE action_id = $1 ORDER BY institution_id`,
      [id],
    );
    const lead = rows[0].lead;
    const institutions = [...(lead ? [lead] : []), ...supporting.map((row) => row.institution_id)];
    const directory: { id: string; user_ids: string[] }[] = await this.manager.query(
      `SELECT id, focal_point_ids || validator_ids AS user_ids FROM institutions
        WHERE lower(id) = ANY ($1::text[])`,
      [institutions.map((institution) => institution.toLowerCase())],
    );
    return {
      id,
      title: rows[0].title,
      status: workflowStatus(rows[0].status),
      lead,
      supporting: supporting.map((row) => row.institution_id),
      version: rows[0].version,
      // In the action's order, lead first: a user of two institutions is mentioned in the lead's inbox.
      people: institutions.map((institution) => ({
        institutionId: institution,
        userIds:
          directory.find((entry) => entry.id.toLowerCase() === institution.toLowerCase())?.user_ids ?? [],
      })),
    };
  }

  async find(actionId: string, id: string, options: { lock?: boolean } = {}): Promise<Comment | null> {
    const rows: CommentRow[] = await this.manager.query(
      `SELECT ${COLUMNS} FROM action_comments WHERE id = $1 AND action_id = $2${
        options.lock ? ' FOR UPDATE' : ''
      }`,
      [id, actionId],
    );
    return rows.length > 0 ? commentOf(rows[0]) : null;
  }

  /** A page of the thread, oldest first, deleted comments in their place; and how many there are. */
  async page(
    actionId: string,
    page: { limit: number; offset: number },
  ): Promise<{ items: Comment[]; total: number }> {
    const [rows, counted]: [CommentRow[], { total: string }[]] = await Promise.all([
      this.manager.query(
        `SELECT ${COLUMNS} FROM action_comments WHERE action_id = $1 ORDER BY position LIMIT $2 OFFSET $3`,
        [actionId, page.limit, page.offset],
      ),
      this.manager.query(`SELECT count(*) AS total FROM action_comments WHERE action_id = $1`, [actionId]),
    ]);
    return { items: rows.map(commentOf), total: Number(counted[0].total) };
  }

  /** Inserts the comment; `created_at` is the database's clock, read back. */
  async insert(comment: Omit<Comment, 'createdAt'>): Promise<Comment> {
    const rows: CommentRow[] = await this.manager.query(
      `INSERT INTO action_comments (id, action_id, body, mentions, author_id, author_name, author_role,
         author_institution_id)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
       RETURNING ${COLUMNS}`,
      [
        comment.id,
        comment.actionId,
        comment.text,
        JSON.stringify(comment.mentions),
        comment.authorId,
        comment.authorName,
        comment.authorRole,
        comment.authorInstitutionId,
      ],
    );
    return commentOf(rows[0]);
  }

  async edit(comment: Comment, text: string): Promise<Comment> {
    // An UPDATE answers [rows, affected count] through TypeORM's PostgreSQL driver.
    const [rows]: [CommentRow[], number] = await this.manager.query(
      `UPDATE action_comments SET body = $2, edited_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [comment.id, text],
    );
    return commentOf(rows[0]);
  }

  /** Soft: the row and its text stay, for the audit trail; readers see that it was deleted. */
  async softDelete(comment: Comment, by: string): Promise<void> {
    await this.manager.query(
      `UPDATE action_comments SET deleted_at = now(), deleted_by = $2 WHERE id = $1 AND deleted_at IS NULL`,
      [comment.id, by],
    );
  }
}
