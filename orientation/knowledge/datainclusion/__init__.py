"""`make kb-import`: a data·inclusion v1 export → knowledge YAML a maintainer reviews.

Modules: `reading` (the two JSON files, as `make kb-export` writes them or as
the API pages them), `checks` (each record against the schema, with
data·inclusion's field names), `mapping` (records → one platform document
per structure: prescription, situations, needs, territory), `yaml_out` (the
files a person reads) and `importer` (all of it, written only when all is
valid). The reverse is `orientation.knowledge.export`.
"""
