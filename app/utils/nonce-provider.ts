import { createContext, useContext } from 'react';

/**
 * The CSP nonce of this response, for Remix's inline scripts. Only the server knows it; in the
 * browser it is empty, because browsers hide the nonce attribute after checking it.
 */
const NonceContext = createContext('');

export const NonceProvider = NonceContext.Provider;

export function useNonce(): string {
  return useContext(NonceContext);
}
