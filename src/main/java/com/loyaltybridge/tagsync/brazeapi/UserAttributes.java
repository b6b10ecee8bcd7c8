package com.loyaltybridge.tagsync.brazeapi;

import java.util.Objects;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One attribute object of {@code /users/track}: the custom attributes to set on one user,
 * a null value removing that attribute from the profile. Setting an attribute is
 * idempotent, so an attribute object may be sent again whenever its first sending is in
 * doubt.
 *
 * @param attributes the attributes by name, without the user's identifier (copied in and
 * out: the record cannot be changed through it)
 */
public record UserAttributes(BrazeUser user, ObjectNode attributes) {

    /**
     * Fields of an attribute object that are not attributes: identifiers and Braze's own
     * options. An attribute of one of these names would change whom or how the object
     * updates.
     */
    public static final Set<String> RESERVED_FIELDS = Set.of("external_id", "braze_id", "user_alias", "email", "phone",
            "_update_existing_only", "update_existing_only", "_merge_objects");

    public UserAttributes {
        Objects.requireNonNull(user, "user");
        for (String name : attributes.propertyNames()) {
            if (RESERVED_FIELDS.contains(name)) {
                throw new IllegalArgumentException(
                        "'" + name + "' names a user or an option in Braze: it cannot be" + " a custom attribute");
            }
        }
        attributes = attributes.deepCopy();
    }

    @Override
    public ObjectNode attributes() {
        return attributes.deepCopy();
    }

    /**
     * The attribute object as {@code /users/track} takes it: the user's identifier, then
     * the attributes.
     */
    public ObjectNode toJson() {
        ObjectNode json = JsonMapper.shared().createObjectNode();
        json.put(user.kind().field(), user.id());
        json.setAll(attributes());
        return json;
    }
}
