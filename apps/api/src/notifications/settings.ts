/** The notification settings (from libs/config), injected by this token. */
export const NOTIFICATION_SETTINGS = Symbol('NotificationSettings');
