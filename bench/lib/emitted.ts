// The deltas a bench server has emitted, counted by the server itself and asked for over IPC
// (`emitted`): what its CPU time is spent on, whether or not the client keeps up reading them.
let emitted = 0;

export function countEmitted(): void {
  emitted += 1;
}

export function reportEmittedOnRequest(): void {
  process.on('message', (request) => {
    if (request === 'emitted') process.send?.({ emitted });
  });
}
