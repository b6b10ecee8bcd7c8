package com.loyaltybridge.tagsync.offers;

import java.io.OutputStream;
import java.math.BigDecimal;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a member's wallet looked like when it was last written to Braze, in 64 hex digits:
 * the SHA-256 of the attributes written, in a canonical JSON (object keys sorted, no
 * spaces, numbers in their shortest exact form), so the same attributes always give the
 * same fingerprint, whatever order SessionM listed fields in.
 */
public record WalletFingerprint(String hex) {

    public WalletFingerprint {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a wallet fingerprint is 64 lower-case hex digits");
        }
    }

    /** The fingerprint of {@code attributes}. */
    static WalletFingerprint of(JsonNode attributes) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException everyJavaHasIt) {
            throw new IllegalStateException(everyJavaHasIt);
        }
        try (JsonGenerator generator = JsonMapper.shared()
            .createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha256))) {
            writeCanonical(attributes, generator);
        }
        return new WalletFingerprint(HexFormat.of().formatHex(sha256.digest()));
    }

    /**
     * The canonical JSON of {@code node}, as the fingerprint hashes it (for tests and
     * troubleshooting).
     */
    static String canonicalJson(JsonNode node) {
        java.io.StringWriter text = new java.io.StringWriter();
        try (JsonGenerator generator = JsonMapper.shared().createGenerator(text)) {
            writeCanonical(node, generator);
        }
        return text.toString();
    }

    private static void writeCanonical(JsonNode node, JsonGenerator generator) {
        if (node.isObject()) {
            generator.writeStartObject();
            for (String name : new TreeSet<>(node.propertyNames())) {
                generator.writeName(name);
                writeCanonical(node.get(name), generator);
            }
            generator.writeEndObject();
        }
        else if (node.isArray()) {
            generator.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(element, generator);
            }
            generator.writeEndArray();
        }
        else if (node.isNumber()) {
            // 100, 100.0 and 1E+2 are one value to Braze: they are one text here.
            BigDecimal value = node.decimalValue().stripTrailingZeros();
            generator.writeNumber(value.scale() <= 0 ? value.toBigInteger().toString() : value.toPlainString());
        }
        else if (node.isString()) {
            generator.writeString(node.asString());
        }
        else if (node.isBoolean()) {
            generator.writeBoolean(node.asBoolean());
        }
        else {
            generator.writeNull();
        }
    }

    @Override
    public String toString() {
        return hex;
    }
}
