package com.loyaltybridge.tagsync.storage;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** One-line descriptions of SDK failures for messages; they carry no credentials. */
final class S3Failures {

    static final int NOT_FOUND = 404;
    static final int PRECONDITION_FAILED = 412;

    private S3Failures() {
    }

    static String describe(Throwable e) {
        if (e instanceof S3Exception s3 && s3.awsErrorDetails() != null) {
            String code = s3.awsErrorDetails().errorCode();
            String message = s3.awsErrorDetails().errorMessage();
            return oneLine(
                    s3.statusCode() + (code == null ? "" : " " + code) + (message == null ? "" : ": " + message));
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : oneLine(e.getMessage());
    }

    static boolean hasStatus(SdkException e, int status) {
        return e instanceof S3Exception s3 && s3.statusCode() == status;
    }

    private static String oneLine(String text) {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }

}
