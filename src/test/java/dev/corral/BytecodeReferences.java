package dev.corral;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.classfile.Annotation;
import java.lang.classfile.AnnotationValue;
import java.lang.classfile.AttributedElement;
import java.lang.classfile.Attributes;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassSignature;
import java.lang.classfile.CodeModel;
import java.lang.classfile.FieldModel;
import java.lang.classfile.MethodModel;
import java.lang.classfile.MethodSignature;
import java.lang.classfile.Signature;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.ConstantDynamicEntry;
import java.lang.classfile.constantpool.InvokeDynamicEntry;
import java.lang.classfile.constantpool.LoadableConstantEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.MethodHandleEntry;
import java.lang.classfile.constantpool.MethodTypeEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeDynamicInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.NewMultiArrayInstruction;
import java.lang.classfile.instruction.NewObjectInstruction;
import java.lang.classfile.instruction.NewReferenceArrayInstruction;
import java.lang.classfile.instruction.TypeCheckInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads compiled classes with the JDK's class-file API and lists everything each one refers to: classes (the
 * constant pool, superclass and interfaces, field and method descriptors, generic signatures, annotations,
 * caught and thrown exceptions) and members (fields and methods called, read or written, and method handles,
 * such as the target of a method reference, in invokedynamic bootstrap arguments).
 *
 * <p>A reference made by code carries the method it occurs in, a field's type carries the field; what is found only in the constant pool (for
 * example the {@code InnerClasses} or {@code NestMembers} attributes) carries {@link #CLASS_LEVEL}.
 */
final class BytecodeReferences {
    /** The {@link Site#member()} of a reference made by the class itself rather than by one of its methods. */
    static final String CLASS_LEVEL = "(class)";

    private BytecodeReferences() {}

    /**
     * Where a reference occurs: a class (binary name with dots) and one of its methods or fields, or
     * {@link #CLASS_LEVEL}. A lambda body is a synthetic method named after the method that holds it.
     */
    record Site(String className, String member) {
        @Override
        public String toString() {
            return member.equals(CLASS_LEVEL) ? className : className + "." + member;
        }
    }

    /**
     * One reference from {@code site} to the class {@code owner} (binary name with dots, arrays reduced to their
     * element type) or, when {@code member} is not null, to its field or method {@code member} with the JVM
     * descriptor {@code descriptor}. A member reference also refers to its owner and to the classes in its
     * descriptor; they are not listed again on their own, so that one call yields one reference.
     */
    record Reference(Site site, String owner, String member, String descriptor) {
        /** The classes named by the descriptor of a member reference, in order; none for a class reference. */
        List<String> descriptorClasses() {
            if (descriptor == null) return List.of();
            List<ClassDesc> types = new ArrayList<>();
            if (descriptor.startsWith("(")) {
                MethodTypeDesc type = MethodTypeDesc.ofDescriptor(descriptor);
                types.addAll(type.parameterList());
                types.add(type.returnType());
            } else {
                types.add(ClassDesc.ofDescriptor(descriptor));
            }
            return types.stream().map(BytecodeReferences::className).flatMap(Optional::stream).toList();
        }
    }

    /**
     * The class files directly in {@code packageName} (not its subpackages) under {@code root}, nested, inner,
     * local and anonymous classes included; none if the package has no directory there.
     */
    static List<Path> classFiles(Path root, String packageName) {
        Path dir = root.resolve(packageName.replace('.', '/'));
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".class")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every reference made by the classes directly in {@code packageName} under {@code root}. */
    static List<Reference> ofPackage(Path root, String packageName) {
        List<Reference> refs = new ArrayList<>();
        for (Path file : classFiles(root, packageName)) {
            try {
                refs.addAll(ofClass(Files.readAllBytes(file)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return refs;
    }

    /** Every reference made by the one class in {@code classFile}, each listed once per site (method or field). */
    static List<Reference> ofClass(byte[] classFile) {
        ClassModel model = ClassFile.of().parse(classFile);
        Collector out = new Collector(new Site(dotted(model.thisClass().asInternalName()), CLASS_LEVEL));
        model.superclass().ifPresent(out::add);
        model.interfaces().forEach(out::add);
        model.findAttribute(Attributes.signature()).ifPresent(s -> out.add(s.asClassSignature()));
        out.addAnnotations(model);
        for (FieldModel field : model.fields()) {
            Collector in = out.at(field.fieldName().stringValue());
            in.add(field.fieldTypeSymbol());
            field.findAttribute(Attributes.signature()).ifPresent(s -> in.add(s.asTypeSignature()));
            in.addAnnotations(field);
        }
        for (MethodModel method : model.methods()) {
            Collector in = out.at(method.methodName().stringValue());
            in.add(method.methodTypeSymbol());
            method.findAttribute(Attributes.signature()).ifPresent(s -> in.add(s.asMethodSignature()));
            method.findAttribute(Attributes.exceptions()).ifPresent(e -> e.exceptions().forEach(in::add));
            in.addAnnotations(method);
            method.code().ifPresent(in::add);
        }
        // The constant pool holds every class and member the class refers to; what the walk above did not
        // attribute to a method (InnerClasses, NestMembers, EnclosingMethod, ...) is the class's own.
        for (PoolEntry entry : model.constantPool()) out.addEntry(entry);
        return out.references();
    }

    /** Gathers references in order, dropping one already seen (at any site) for the same owner and member. */
    private static final class Collector {
        private final Site site;
        private final Set<Reference> seen;
        private final Set<List<String>> targets;

        Collector(Site site) {
            this(site, new LinkedHashSet<>(), new HashSet<>());
        }

        private Collector(Site site, Set<Reference> seen, Set<List<String>> targets) {
            this.site = site;
            this.seen = seen;
            this.targets = targets;
        }

        Collector at(String member) {
            return new Collector(new Site(site.className(), member), seen, targets);
        }

        List<Reference> references() {
            return List.copyOf(seen);
        }

        private void addReference(String owner, String member, String descriptor) {
            List<String> target = Arrays.asList(owner, member, descriptor);
            // The constant-pool sweep comes last and only fills in what no method accounted for.
            if (site.member().equals(CLASS_LEVEL) && targets.contains(target)) return;
            targets.add(target);
            targets.add(Arrays.asList(owner, null, null)); // a member reference accounts for its owner's ClassEntry
            seen.add(new Reference(site, owner, member, descriptor));
        }

        void add(ClassEntry entry) {
            add(entry.asSymbol());
        }

        void add(ClassDesc type) {
            className(type).ifPresent(name -> addReference(name, null, null));
        }

        void add(MethodTypeDesc type) {
            add(type.returnType());
            type.parameterList().forEach(this::add);
        }

        /** A member reference stands for its owner and the classes in its descriptor too; see {@link Reference}. */
        void addMember(ClassEntry owner, String name, String descriptor) {
            if (owner.asSymbol().isArray()) { // clone() on an array: only the element type matters
                add(owner);
                return;
            }
            addReference(dotted(owner.asInternalName()), name, descriptor);
        }

        void add(CodeModel code) {
            code.forEach(element -> {
                switch (element) {
                    case FieldInstruction i -> addMember(i.owner(), i.name().stringValue(), i.type().stringValue());
                    case InvokeInstruction i -> addMember(i.owner(), i.name().stringValue(), i.type().stringValue());
                    case InvokeDynamicInstruction i -> addEntry(i.invokedynamic());
                    case NewObjectInstruction i -> add(i.className());
                    case NewReferenceArrayInstruction i -> add(i.componentType());
                    case NewMultiArrayInstruction i -> add(i.arrayType());
                    case TypeCheckInstruction i -> add(i.type());
                    case ConstantInstruction.LoadConstantInstruction i -> addEntry(i.constantEntry());
                    case ExceptionCatch c -> c.catchType().ifPresent(this::add);
                    default -> {}
                }
            });
        }

        void addEntry(PoolEntry entry) {
            switch (entry) {
                case ClassEntry e -> add(e);
                case MemberRefEntry e -> addMember(e.owner(), e.name().stringValue(), e.type().stringValue());
                case MethodHandleEntry e -> addEntry(e.reference());
                case MethodTypeEntry e -> add(e.asSymbol());
                case InvokeDynamicEntry e -> {
                    addEntry(e.bootstrap().bootstrapMethod());
                    e.bootstrap().arguments().forEach(this::addEntry);
                    add(e.typeSymbol());
                }
                case ConstantDynamicEntry e -> {
                    addEntry(e.bootstrap().bootstrapMethod());
                    e.bootstrap().arguments().forEach(this::addEntry);
                    add(e.typeSymbol());
                }
                default -> {}
            }
        }

        private void addEntry(LoadableConstantEntry entry) {
            addEntry((PoolEntry) entry);
        }

        void addAnnotations(AttributedElement element) {
            element.findAttribute(Attributes.runtimeVisibleAnnotations())
                    .ifPresent(a -> a.annotations().forEach(this::add));
            element.findAttribute(Attributes.runtimeInvisibleAnnotations())
                    .ifPresent(a -> a.annotations().forEach(this::add));
        }

        private void add(Annotation annotation) {
            add(annotation.classSymbol());
            annotation.elements().forEach(e -> add(e.value()));
        }

        private void add(AnnotationValue value) {
            switch (value) {
                case AnnotationValue.OfClass c -> add(c.classSymbol());
                case AnnotationValue.OfEnum e -> add(e.classSymbol());
                case AnnotationValue.OfAnnotation a -> add(a.annotation());
                case AnnotationValue.OfArray a -> a.values().forEach(this::add);
                default -> {}
            }
        }

        void add(ClassSignature signature) {
            signature.typeParameters().forEach(this::add);
            add(signature.superclassSignature());
            signature.superinterfaceSignatures().forEach(this::add);
        }

        void add(MethodSignature signature) {
            signature.typeParameters().forEach(this::add);
            signature.arguments().forEach(this::add);
            add(signature.result());
            signature.throwableSignatures().forEach(this::add);
        }

        private void add(Signature.TypeParam param) {
            param.classBound().ifPresent(this::add);
            param.interfaceBounds().forEach(this::add);
        }

        void add(Signature signature) {
            switch (signature) {
                case Signature.ClassTypeSig c -> {
                    add(c.classDesc());
                    c.outerType().ifPresent(this::add);
                    c.typeArgs().forEach(arg -> {
                        if (arg instanceof Signature.TypeArg.Bounded b) add(b.boundType());
                    });
                }
                case Signature.ArrayTypeSig a -> add(a.componentSignature());
                default -> {}
            }
        }
    }

    /** The binary name (with dots) of {@code type}, or of its element type if it is an array; none for a primitive. */
    static Optional<String> className(ClassDesc type) {
        while (type.isArray()) type = type.componentType();
        if (!type.isClassOrInterface()) return Optional.empty();
        String descriptor = type.descriptorString();
        return Optional.of(dotted(descriptor.substring(1, descriptor.length() - 1)));
    }

    static String dotted(String internalName) {
        return internalName.replace('/', '.');
    }
}
