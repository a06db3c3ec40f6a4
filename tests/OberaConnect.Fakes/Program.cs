// Standalone entry point of the loopback fakes. Filled in by the Notion fake.
return 0;
