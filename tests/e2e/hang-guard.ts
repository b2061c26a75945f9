// A hang guard for each hook and test of the end-to-end suites: on a loaded two-core machine a stack
// alone has taken minutes to start (its processes are given four). A suite may set a longer one.
jest.setTimeout(480_000);
