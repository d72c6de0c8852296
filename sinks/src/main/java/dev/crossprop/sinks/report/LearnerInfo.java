package dev.crossprop.sinks.report;

/**
 * A learner as the report shows it.
 *
 * @param label learner label from the results
 * @param kind learner kind, which picks the colour family
 * @param kindInferred true when the kind was guessed from the label, because the manifest is
 *     missing or does not list the learner
 */
record LearnerInfo(String label, LearnerKind kind, boolean kindInferred) {}
