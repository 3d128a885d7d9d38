"""Scheduled work with one owner: leases in the database decide which worker runs a job.

Every node may run `portal worker`; each job is claimed through its lease row, so the
work is done once per interval across all of them. Web workers never run jobs.
"""
