import { platformMigrations } from '@nmirf/platform';
import { Deadline } from './deadlines/deadline.entity';
import { ReminderSent } from './deadlines/reminder-sent.entity';
import { Notification } from './inbox/notification.entity';
import { Notifications1764201800000 } from './migrations/1764201800000-notifications';

export const SCHEMA = 'notifications';
export const entities = [Notification, Deadline, ReminderSent];
export const migrations = [...platformMigrations, Notifications1764201800000];
