/** A new credential (an API key, a signing secret) in the one answer that ever shows it. */
export function ShownOnceSecret({ heading, note, secret, testId }: { heading: string; note: string; secret: string; testId: string }) {
  return (
    <div className="usa-alert usa-alert--success" role="status">
      <div className="usa-alert__body">
        <h2 className="usa-alert__heading">{heading}</h2>
        <p className="usa-alert__text">{note}</p>
        <code className="cc-api-key" data-testid={testId}>
          {secret}
        </code>
      </div>
    </div>
  );
}
