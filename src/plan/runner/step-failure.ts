/** A step that could not do what it was asked: the plan ends with a finding. */
export class StepFailure extends Error {}
