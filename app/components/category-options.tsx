import { useTranslation } from 'react-i18next';

/** A select's options for a town's categories, grouped as residents see them, after an empty "choose" option. */
export function CategoryOptions({ groups }: { groups: { group: string; categories: { code: string; name: string }[] }[] }) {
  const { t } = useTranslation();
  return (
    <>
      <option value="">{t('report.chooseACategory')}</option>
      {groups.map((g) => (
        <optgroup key={g.group} label={g.group}>
          {g.categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </optgroup>
      ))}
    </>
  );
}
