# Double Metaphone against a real PostgreSQL 15 (fuzzystrmatch's dmetaphone()
# and dmetaphone_alt()): the test starts a throwaway cluster with the server
# binaries in /usr/lib/postgresql/15/bin and talks to it through libpq.
# Included from tests/CMakeLists.txt. CMake's FindPostgreSQL finds libpq-dev's
# headers and library (PostgreSQL::PostgreSQL); the server headers are not needed.
find_package(PostgreSQL REQUIRED)

vigil_test(NAME vigil_postgres_test
  SOURCES postgres_dmetaphone_test.cc
  LIBS vigil_text vigil_testing PostgreSQL::PostgreSQL)
# vigil_test creates no target when VIGIL_FUZZ is on.
if(TARGET vigil_postgres_test)
  # The test reads the 1,221 names from the peer vectors at run time.
  target_compile_definitions(vigil_postgres_test PRIVATE
    VIGIL_NAME_VECTORS="${PROJECT_SOURCE_DIR}/../shared/testdata/name-vectors")
endif()
