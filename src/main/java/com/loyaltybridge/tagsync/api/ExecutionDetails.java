package com.loyaltybridge.tagsync.api;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One execution as the API shows it, whichever job ran: a tag sync
 * ({@link ExecutionView}, {@code kind} {@code tags}) or the offers job
 * ({@link WalletExecutionView}, {@code kind} {@code offers}).
 */
@Schema(oneOf = { ExecutionView.class, WalletExecutionView.class })
public sealed interface ExecutionDetails permits ExecutionView, WalletExecutionView {

    long id();

    long jobInstanceId();

    /** {@code tags} or {@code offers}, as a segment mapping's {@code kind}. */
    @JsonProperty("kind")
    String kind();

    String status();

    boolean dryRun();

}
