#include "common/schema.h"

#include <string.h>

int
schema_compatible(const char *dbpath, const char *db_schema, const char *db_analyzer,
		  const char *analyzer, strbuf_t *why)
{
	if (!strcmp(db_schema, SCHEMA_VERSION) && !strcmp(db_analyzer, analyzer))
		return 1;
	if (!*db_schema)
		strbuf_addf(why, "'%s' is not a protodex database (no schema version recorded)",
			    dbpath);
	else
		strbuf_addf(why,
			    "'%s' was built by an incompatible protodex (schema %s, analyzer %s; "
			    "this one writes schema %s, analyzer %s): re-index into a new "
			    "database, e.g. remove '%s' and run 'protodex index' again",
			    dbpath, db_schema, *db_analyzer ? db_analyzer : "unknown",
			    SCHEMA_VERSION, analyzer, dbpath);
	return 0;
}
