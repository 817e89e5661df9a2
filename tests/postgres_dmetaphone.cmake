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

# vigil on PostgreSQL through the binary: migrate, import, two serve nodes.
# One ctest (WHOLE): the cluster is the test's own.
vigil_test(NAME vigil_postgres_cli_test
  SOURCES postgres_cli_test.cc
  LIBS vigil_core vigil_testing nlohmann_json::nlohmann_json
  ENVIRONMENT "TEST_VIGIL_BINARY=$<TARGET_FILE:vigil>"
  WHOLE)
if(TARGET vigil_postgres_cli_test)
  add_dependencies(vigil_postgres_cli_test vigil)
  target_compile_definitions(vigil_postgres_cli_test PRIVATE
    VIGIL_PEERS_DIR="${PROJECT_SOURCE_DIR}/tests/peers")
endif()
