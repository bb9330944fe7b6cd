// No server code: the report form names a refused photo the way the server would.
const LABEL_MAX_LENGTH = 60;

// C0 and C1 controls, and the bidirectional overrides that can make "gpj.exe" read as "exe.jpg".
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE_LABEL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A file name cut down to something safe to show in a message. */
export function fileLabel(filename: string | undefined): string {
  const label = (filename ?? '').replace(/\s+/g, ' ').replace(UNSAFE_LABEL_CHARACTERS, '').trim();
  if (!label) return 'The photo';
  return label.length > LABEL_MAX_LENGTH ? `${label.slice(0, LABEL_MAX_LENGTH - 1)}…` : label;
}
