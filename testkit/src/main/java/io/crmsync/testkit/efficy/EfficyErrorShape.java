package io.crmsync.testkit.efficy;

/**
 * How the Efficy emulator reports an error, one of the in-body shapes the protocol notes list
 * (efficy.md §2.3 and §8). Efficy answers HTTP 200 for business errors in every shape.
 *
 * <p>The default is {@link #EXCEPTION_ELEMENT}: the public npm client written against Enterprise
 * 2021/2022 reads only that shape (and the two whole-request objects), so it is the most likely
 * one. Run a client's error tests under each shape, since a real server may use any of them.
 */
public enum EfficyErrorShape {

    /**
     * Every context of the request echoed (with its {@code #id}), followed by one element
     * {@code {"@name":"exception","#error":{"errorcode":..,"errorstring":..}}}. Processing stops at
     * the first error: contexts after it are echoed as sent, without results. Notes §2.3 level 1.
     */
    EXCEPTION_ELEMENT,

    /**
     * {@code #error} inline, as Efficy's own n8n nodes read it on Enterprise 12+: an object
     * {@code {errorcode, errorstring}} on the failing function, or on the context when the context
     * itself is wrong (bad entity, refused credentials). Other contexts still run. Notes §2.3 level 2.
     */
    INLINE_ERROR,

    /** A JSON object in place of the array: {@code {"#error":{"errorcode":..,"errorstring":..}}}. Level 3. */
    ERROR_OBJECT,

    /** A JSON object in place of the array: {@code {"error":true,"code":..,"message":..,"detail":..}}. Level 3. */
    ERROR_FLAG_OBJECT
}
