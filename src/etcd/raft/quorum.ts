import type { MemberId } from './message.ts';

/**
 * Majority of the voters: floor(n/2)+1 (Raft §5.2 "votes from a majority of the servers";
 * etcd-io/raft quorum/majority.go `MajorityConfig.VoteResult`). Learners do not count.
 */
export function quorumSize(voterCount: number): number {
  return Math.floor(voterCount / 2) + 1;
}

export type VoteResult = 'won' | 'lost' | 'pending';

/** Tally of granted and rejected votes (etcd-io/raft quorum/majority.go `VoteResult`). */
export function voteResult(voters: readonly MemberId[], votes: ReadonlyMap<MemberId, boolean>): VoteResult {
  const needed = quorumSize(voters.length);
  let granted = 0;
  let missing = 0;
  for (const id of voters) {
    const vote = votes.get(id);
    if (vote === undefined) missing++;
    else if (vote) granted++;
  }
  if (granted >= needed) return 'won';
  if (granted + missing >= needed) return 'pending';
  return 'lost';
}

/**
 * The highest index replicated on a majority (Raft §5.3/§5.4.2; etcd-io/raft quorum/majority.go
 * `CommittedIndex`): sort the voters' match indexes (their progress) descending and take the quorum-th.
 */
export function committedIndex(
  voters: readonly MemberId[],
  progress: ReadonlyMap<MemberId, { readonly match: number }>,
): number {
  // Called on every append response: an insertion sort into a reused array, no allocation.
  const n = voters.length;
  const sorted = scratch;
  for (let i = 0; i < n; i++) {
    const value = (progress.get(voters[i]) as { readonly match: number }).match;
    let j = i;
    while (j > 0 && sorted[j - 1] < value) {
      sorted[j] = sorted[j - 1];
      j--;
    }
    sorted[j] = value;
  }
  return n === 0 ? 0 : sorted[quorumSize(n) - 1];
}

const scratch: number[] = [];
