import { together, withTownReads } from '#db/scope';
import { selectCategories, type CategorySummary } from '~/modules/categories/categories.server';
import { selectDepartments, type Department } from '~/modules/departments/departments.server';
import type { TownStaff } from '~/utils/capabilities.server';
import { selectQueuePage, type QueueFilters, type QueuePage } from './queue.server';
import { selectSavedViews, type SavedView } from './saved-views.server';
import { selectFormerAssignees, selectTownStaff, type FormerAssignee, type StaffMember } from './team.server';

export type QueueView = {
  queue: QueuePage;
  categories: CategorySummary[];
  departments: Department[];
  team: StaffMember[];
  formerAssignees: FormerAssignee[];
  savedViews: SavedView[];
};

/** Everything the queue page shows, read in one read-only transaction whose statements go to the database together. */
export async function loadQueueView(staff: TownStaff, filters: QueueFilters): Promise<QueueView> {
  return withTownReads(staff.town.id, async (tx) => {
    const [queue, categories, departments, team, formerAssignees, savedViews] = await together([
      selectQueuePage(tx, staff, filters),
      selectCategories(tx, { activeOnly: false }),
      selectDepartments(tx),
      selectTownStaff(tx),
      selectFormerAssignees(tx, staff.town.id),
      selectSavedViews(tx, staff),
    ]);
    return { queue, categories, departments, team, formerAssignees, savedViews };
  });
}
