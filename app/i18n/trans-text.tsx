import type { ComponentProps } from 'react';
import { Trans } from 'react-i18next';

/**
 * `<Trans>` for a sentence with markup: values are escaped before the sentence is parsed for its
 * tags and unescaped after, so a name with "<" in it stays text. (i18next's escaping is off
 * app-wide because React escapes what it renders.)
 */
export function TransText(props: ComponentProps<typeof Trans>) {
  return <Trans tOptions={{ interpolation: { escapeValue: true } }} shouldUnescape {...props} />;
}
