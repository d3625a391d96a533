package io.crmsync.efficy.user;

/**
 * One entry of {@code userlist}: a user, group, resource or team.
 *
 * @param key K_USER
 * @param code USERCODE
 * @param fullName FULLNAME (or NAME), empty when the server sends neither
 * @param kind what the entry is
 */
public record EfficyUser(long key, String code, String fullName, Kind kind) {

    /** The KIND column of {@code userlist}. */
    public enum Kind {
        /** KIND 0: a person who logs in. */
        USER,
        /** KIND 1: a group. */
        GROUP,
        /** KIND 2: a resource. */
        RESOURCE,
        /** KIND 3: a team. */
        TEAM,
        /** Any other value. */
        OTHER;

        /** Maps the numeric KIND. */
        public static Kind of(long kind) {
            switch ((int) kind) {
                case 0:
                    return USER;
                case 1:
                    return GROUP;
                case 2:
                    return RESOURCE;
                case 3:
                    return TEAM;
                default:
                    return OTHER;
            }
        }
    }

    /** Whether this entry can be assigned a task as a person. */
    public boolean isPerson() {
        return kind == Kind.USER;
    }
}
