package dev.devloop.scenarios;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.commons.support.AnnotationSupport;

/** The class orderer and the release of {@link SharedStack}, without starting a stack. */
class SharedStackOrderTest {

    @ExtendWith(SharedStack.Join.class)
    static final class SharingA {}

    @ExtendWith(SharedStack.Join.class)
    static final class SharingB {}

    static final class OwnStack {}

    @ExtendWith(OtherExtension.class)
    static final class OtherExtensionOnly {}

    static final class OtherExtension implements org.junit.jupiter.api.extension.Extension {}

    @Test
    void theSharingClassesRunFirstAndEachGroupKeepsItsOrder() {
        List<ClassDescriptor> classes = new ArrayList<>(List.of(
                descriptor(OwnStack.class),
                descriptor(SharingA.class),
                descriptor(OtherExtensionOnly.class),
                descriptor(SharingB.class)));

        new SharedStack.SharedFirst().orderClasses(context(classes));

        assertEquals(
                List.of(SharingA.class, SharingB.class, OwnStack.class, OtherExtensionOnly.class),
                classes.stream().map(ClassDescriptor::getTestClass).toList());
    }

    @Test
    void aClassThatReleasesStopsTheSharedStackAndTheNextJoinStartsAnother() throws Exception {
        // what the sharing classes (they run first) left is released, as the next own-stack class would release it
        SharedStack.release();
        List<SharedStack> started = new ArrayList<>();
        List<SharedStack> closedAtEnd = new ArrayList<>();
        Callable<SharedStack> start = () -> {
            SharedStack stack = new SharedStack(new OpenAiStub(), null, new DevloopStack());
            started.add(stack);
            return stack;
        };
        SharedStack first = SharedStack.runningOr(start, closedAtEnd::add);
        assertSame(first, SharedStack.runningOr(start, closedAtEnd::add), "a second class joins the same stack");
        assertEquals(1, started.size());
        assertTrue(first.openAi.server().isRunning());

        SharedStack.release();
        assertFalse(first.openAi.server().isRunning(), "release stops the stub with the stack");

        SharedStack second = SharedStack.runningOr(start, closedAtEnd::add);
        assertNotSame(first, second);
        first.close(); // the run's end closes what it was handed, the released stack again: nothing happens
        assertSame(second, SharedStack.runningOr(start, closedAtEnd::add));
        assertTrue(second.openAi.server().isRunning());
        assertEquals(List.of(first, second), closedAtEnd);

        second.close();
        assertFalse(second.openAi.server().isRunning());
    }

    private static ClassOrdererContext context(List<ClassDescriptor> classes) {
        return new ClassOrdererContext() {
            @Override
            public List<? extends ClassDescriptor> getClassDescriptors() {
                return classes;
            }

            @Override
            public Optional<String> getConfigurationParameter(String key) {
                return Optional.empty();
            }
        };
    }

    private static ClassDescriptor descriptor(Class<?> type) {
        return new ClassDescriptor() {
            @Override
            public Class<?> getTestClass() {
                return type;
            }

            @Override
            public String getDisplayName() {
                return type.getSimpleName();
            }

            @Override
            public boolean isAnnotated(Class<? extends Annotation> annotationType) {
                return AnnotationSupport.isAnnotated(type, annotationType);
            }

            @Override
            public <A extends Annotation> Optional<A> findAnnotation(Class<A> annotationType) {
                return AnnotationSupport.findAnnotation(type, annotationType);
            }

            @Override
            public <A extends Annotation> List<A> findRepeatableAnnotations(Class<A> annotationType) {
                return AnnotationSupport.findRepeatableAnnotations(type, annotationType);
            }
        };
    }
}
