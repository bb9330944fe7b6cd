import { fixedT } from '~/i18n/translate';
import { describeChange } from './audit-diff';
import { AUDIT_FILTER_ERROR_CODES, auditQuery, NO_AUDIT_FILTERS, parseAuditQuery } from './audit-filters';

describe('audit log filters', () => {
  it('reads the GET form, upper-casing a tracking number and ignoring empty fields', () => {
    const parsed = parseAuditQuery(new URLSearchParams({ who: ' Pat@Example.com ', action: 'status_changed', from: '2026-12-01', to: '2026-12-07', request: 'som-1042', page: '3' }));
    expect(parsed).toEqual({ filters: { who: 'Pat@Example.com', action: 'status_changed', from: '2026-12-01', to: '2026-12-07', request: 'SOM-1042' }, errors: {}, page: 3 });
    expect(parseAuditQuery(new URLSearchParams({ who: '', action: '', page: 'x' }))).toEqual({ filters: NO_AUDIT_FILTERS, errors: {}, page: 1 });
  });

  it('leaves a wrong filter out and says why, keeping the others', () => {
    const parsed = parseAuditQuery(new URLSearchParams({ from: '2026-13-01', request: 'pothole', who: 'pat' }));
    expect(parsed.filters).toEqual({ ...NO_AUDIT_FILTERS, who: 'pat' });
    expect(parsed.errors).toEqual({ from: { code: 'auditFilter.from.invalid' }, request: { code: 'auditFilter.request.invalid' } });
    const backwards = parseAuditQuery(new URLSearchParams({ from: '2026-12-07', to: '2026-12-01' }));
    expect(backwards.filters).toEqual({ ...NO_AUDIT_FILTERS, from: '2026-12-07' });
    expect(backwards.errors).toEqual({ to: { code: 'auditFilter.to.before_from' } });
  });

  it('keeps the filters in the pages’ links', () => {
    expect(auditQuery({ ...NO_AUDIT_FILTERS, request: 'SOM-1', action: 'assigned' }, 2)).toBe('?action=assigned&request=SOM-1&page=2');
    expect(auditQuery(NO_AUDIT_FILTERS, 1)).toBe('?');
  });

  it('words every code', () => {
    const t = fixedT('en', 'errors');
    expect(AUDIT_FILTER_ERROR_CODES.filter((code) => t(code) === code)).toEqual([]);
  });
});

describe('an audit entry’s change, field by field', () => {
  it('lists what changed (old → new), leaves out what did not, and shows set and removed fields', () => {
    expect(describeChange({ status: 'submitted', statusReason: null, referredTo: null }, { status: 'fixed', statusReason: 'Patched', referredTo: null, duplicateOf: null })).toEqual([
      { field: 'status', before: 'submitted', after: 'fixed' },
      { field: 'statusReason', before: null, after: 'Patched' },
    ]);
    expect(describeChange({ email: 'a@example.com', role: 'staff' }, null)).toEqual([
      { field: 'email', before: 'a@example.com', after: null },
      { field: 'role', before: 'staff', after: null },
    ]);
    expect(describeChange(null, { keywords: ['pot hole', 'crater'], position: 2, active: false })).toEqual([
      { field: 'keywords', before: null, after: 'pot hole, crater' },
      { field: 'position', before: null, after: '2' },
      { field: 'active', before: null, after: 'false' },
    ]);
  });

  it('shows nested values as compact JSON, clipped', () => {
    const [change] = describeChange(null, { geometry: { type: 'Polygon', coordinates: [Array.from({ length: 200 }, (_, i) => [i, i])] } });
    expect(change!.after!.startsWith('{"type":"Polygon"')).toBe(true);
    expect(change!.after!.length).toBe(300);
    expect(describeChange(null, null)).toEqual([]);
  });
});
