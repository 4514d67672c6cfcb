"""The peewee store: one database proxy, models, migrations, aggregate queries and writes."""
