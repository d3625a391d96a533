package io.crmsync.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a record component, parameter or return value that may be {@code null} ("not set").
 * Generated builders (Immutables recognises the name) then accept {@code null} for it instead of
 * refusing it.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.RECORD_COMPONENT, ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
public @interface Nullable {}
