"""Durable state: SQLAlchemy models and the queries the services need.

Every state change that must happen once (claiming work, sending a reply) is a single conditional
UPDATE whose row count says whether this caller won, so two instances on one database never do the
same thing twice.
"""
