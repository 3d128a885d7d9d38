"""Recurring-question suggestions for ops: group what people ask and propose an action.

`engine` is the pure grouping engine; `service` feeds it the portal's signals and stores
runs; `models` keeps runs and dismissals.
"""
