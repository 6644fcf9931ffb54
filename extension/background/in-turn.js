// @ts-check
/**
 * A queue of jobs for one piece of state that several requests change at once (a worker answers
 * messages concurrently): each job starts after every job queued before it has ended, failed or not.
 */

/** @returns {<T>(job: () => Promise<T>) => Promise<T>} */
export function turns() {
  /** @type {Promise<unknown>} */
  let last = Promise.resolve();
  return (job) => {
    const run = last.then(job, job);
    last = run.catch(() => undefined);
    return run;
  };
}
