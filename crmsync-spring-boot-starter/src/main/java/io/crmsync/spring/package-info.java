/**
 * The Spring Boot starter: {@link io.crmsync.spring.CrmsyncAutoConfiguration} and its
 * {@code crmsync.*} properties.
 */
package io.crmsync.spring;
