import type { EventEnvelope } from './gen/nmirf/events/v1/envelope_pb';

/** The name of each payload in the envelope's oneof, e.g. "actionAssigned". */
export type EventCase = NonNullable<EventEnvelope['payload']['case']>;
export type PayloadOf<C extends EventCase> = Extract<EventEnvelope['payload'], { case: C }>['value'];
/** A payload as producers write it: the message's fields without protobuf's bookkeeping. */
export type PayloadInit<C extends EventCase> = Omit<PayloadOf<C>, '$typeName' | '$unknown'>;

/** Every topic in one place. The version in the name changes only with a breaking change. */
export const Topics = {
  recommendations: 'nmirf.recommendations.recommendation.v1',
  actions: 'nmirf.actions.action.v1',
  reminders: 'nmirf.notifications.reminder.v1',
  reports: 'nmirf.reporting.report.v1',
  institutions: 'nmirf.actions.institution.v1',
  implementation: 'nmirf.actions.implementation.v1',
  assessments: 'nmirf.actions.assessment.v1',
  calendar: 'nmirf.actions.calendar.v1',
  progressReports: 'nmirf.actions.progress.v1',
  comments: 'nmirf.actions.comment.v1',
  indicators: 'nmirf.actions.indicator.v1',
  plans: 'nmirf.actions.plan.v1',
} as const;
export type TopicKey = keyof typeof Topics;

interface EventDefinition {
  /** The envelope's `type`: the payload message's name. */
  type: string;
  topic: TopicKey;
  schemaVersion: number;
}

/** Each event's type name, topic and current schema version. */
export const Events: Record<EventCase, EventDefinition> = {
  recommendationCreated: { type: 'RecommendationCreated', topic: 'recommendations', schemaVersion: 1 },
  recommendationUpdated: { type: 'RecommendationUpdated', topic: 'recommendations', schemaVersion: 1 },
  clusterChanged: { type: 'ClusterChanged', topic: 'recommendations', schemaVersion: 1 },
  actionCreated: { type: 'ActionCreated', topic: 'actions', schemaVersion: 1 },
  actionAssigned: { type: 'ActionAssigned', topic: 'actions', schemaVersion: 1 },
  actionDueDateChanged: { type: 'ActionDueDateChanged', topic: 'actions', schemaVersion: 1 },
  actionProgressReported: { type: 'ActionProgressReported', topic: 'actions', schemaVersion: 1 },
  actionTransitioned: { type: 'ActionTransitioned', topic: 'actions', schemaVersion: 1 },
  actionChanged: { type: 'ActionChanged', topic: 'actions', schemaVersion: 1 },
  planChanged: { type: 'PlanChanged', topic: 'plans', schemaVersion: 1 },
  deadlineReminderSent: { type: 'DeadlineReminderSent', topic: 'reminders', schemaVersion: 1 },
  actionEscalated: { type: 'ActionEscalated', topic: 'reminders', schemaVersion: 1 },
  reportCompiled: { type: 'ReportCompiled', topic: 'reports', schemaVersion: 1 },
  institutionChanged: { type: 'InstitutionChanged', topic: 'institutions', schemaVersion: 1 },
  recommendationImplementationStatusChanged: {
    type: 'RecommendationImplementationStatusChanged',
    topic: 'implementation',
    schemaVersion: 1,
  },
  assessmentPublished: { type: 'AssessmentPublished', topic: 'assessments', schemaVersion: 1 },
  assessmentUnpublished: { type: 'AssessmentUnpublished', topic: 'assessments', schemaVersion: 1 },
  reportingDeadlineChanged: { type: 'ReportingDeadlineChanged', topic: 'calendar', schemaVersion: 1 },
  progressReportTransitioned: {
    type: 'ProgressReportTransitioned',
    topic: 'progressReports',
    schemaVersion: 1,
  },
  commentPosted: { type: 'CommentPosted', topic: 'comments', schemaVersion: 1 },
  indicatorScheduled: { type: 'IndicatorScheduled', topic: 'indicators', schemaVersion: 1 },
};

/** Topic names as deployed: a prefix lets several environments share one cluster. */
export function topicName(key: TopicKey, prefix = ''): string {
  return `${prefix}${Topics[key]}`;
}

export function deadLetterTopicName(topic: string): string {
  return `${topic}.dlt`;
}
