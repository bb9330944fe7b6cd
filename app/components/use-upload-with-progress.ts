import { useState, type FormEvent } from 'react';

export type UploadState = { percent: number } | null;

/**
 * Posts a form with files through XMLHttpRequest, the one browser API that reports upload
 * progress, as a Remix data request: a redirect is followed, action data is handed back.
 * Without JavaScript the form posts normally, so this is only an enhancement.
 */
export function useUploadWithProgress<T>(routeId: string, hasFiles: (form: HTMLFormElement) => boolean) {
  const [upload, setUpload] = useState<UploadState>(null);
  const [result, setResult] = useState<T | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    const form = event.currentTarget;
    if (!hasFiles(form)) return;
    event.preventDefault();
    const url = new URL(form.action || window.location.href);
    url.searchParams.set('_data', routeId);
    const request = new XMLHttpRequest();
    request.open('POST', url);
    request.upload.onprogress = (e) => {
      if (e.lengthComputable) setUpload({ percent: Math.round((e.loaded / e.total) * 100) });
    };
    request.onload = () => {
      const redirectTo = request.getResponseHeader('X-Remix-Redirect');
      if (redirectTo) {
        window.location.assign(redirectTo);
        return;
      }
      setUpload(null);
      try {
        setResult(JSON.parse(request.responseText) as T);
        setFailure(null);
      } catch {
        setFailure(request.responseText.slice(0, 300) || `The upload failed (${request.status}). Please try again.`);
      }
      window.scrollTo({ top: 0 });
    };
    request.onerror = () => {
      setUpload(null);
      setFailure('The connection dropped during the upload. Your report was not sent; please try again.');
    };
    setFailure(null);
    setUpload({ percent: 0 });
    request.send(new FormData(form));
  }

  return { onSubmit, upload, result, failure };
}
