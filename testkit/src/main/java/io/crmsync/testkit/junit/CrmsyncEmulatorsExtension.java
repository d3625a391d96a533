package io.crmsync.testkit.junit;

import io.crmsync.testkit.ApsisEmulator;
import io.crmsync.testkit.EfficyEmulator;
import io.crmsync.testkit.apsis.ApsisLimits;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link CrmsyncEmulators}: starts the emulators before the class (once per
 * class, on free loopback ports), resolves {@link EfficyEmulator}, {@link ApsisEmulator} and
 * {@link Emulators} parameters, and closes both when the class's context closes.
 */
public final class CrmsyncEmulatorsExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NS =
            ExtensionContext.Namespace.create(CrmsyncEmulatorsExtension.class);

    /** Both emulators, closed with the class's extension context. */
    private record Running(Emulators emulators) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            emulators.efficy().close();
            emulators.apsis().close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running(context);
    }

    private static Running running(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent()
                && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        CrmsyncEmulators config = AnnotationSupport.findAnnotation(
                        context.getRequiredTestClass(), CrmsyncEmulators.class)
                .orElseThrow(
                        () -> new ParameterResolutionException("the test class is not annotated @CrmsyncEmulators"));
        return classContext
                .getStore(NS)
                .getOrComputeIfAbsent(
                        Running.class,
                        k -> {
                            EfficyEmulator efficy =
                                    EfficyEmulator.start().seedContacts(config.contacts(), config.seed());
                            ApsisEmulator apsis = config.relaxedLimits()
                                    ? ApsisEmulator.builder()
                                            .limits(ApsisLimits.relaxed())
                                            .start()
                                    : ApsisEmulator.start();
                            return new Running(new Emulators(efficy, apsis));
                        },
                        Running.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == EfficyEmulator.class || type == ApsisEmulator.class || type == Emulators.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Emulators emulators = running(context).emulators();
        Class<?> type = parameter.getParameter().getType();
        if (type == EfficyEmulator.class) {
            return emulators.efficy();
        }
        if (type == ApsisEmulator.class) {
            return emulators.apsis();
        }
        return emulators;
    }
}
