package com.loyaltybridge.tagsync.storage;

/**
 * The rules for the name of an object written into a folder, the same for S3 and local
 * directories.
 */
final class ObjectNames {

    private ObjectNames() {
    }

    /**
     * @throws IllegalArgumentException naming the problem, when {@code name} is not one
     * plain object name
     */
    static String requireValid(String name) {
        if (name == null || name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/")
                || name.contains("\\") || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("'" + name + "' is not an object name: expected a non-empty name"
                    + " without slashes, backslashes or control characters");
        }
        return name;
    }

}
