"""Pure ledger rules: money, amounts, breakdowns, reconcile checks, hiring quotas."""
