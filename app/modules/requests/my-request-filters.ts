/** The filters of "My requests", shared by its query and its page (no server code, so the browser can import it). */
export const MY_REQUEST_STATUS_FILTERS = ['open', 'closed', 'withdrawn'] as const;
export const MY_REQUEST_RELATIONS = ['reported', 'following'] as const;
