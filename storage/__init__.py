"""Files every application host sees: one interface (`storage.stores.FileStore`), two
implementations chosen by configuration (FILE_STORE): chunks in the database, or a directory."""
