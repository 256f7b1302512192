DROP INDEX IF EXISTS idx_milestone_due_basket;
