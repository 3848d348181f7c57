using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace SolidBms.NfApi;

/// <summary>
/// Renders the externally visible API of compiled C# (a Roslyn assembly symbol) as one line per type and per member:
/// "TypeFullName  type public class : Base, IFace [Flags]" and "TypeFullName  method public override System.Int32 Read(System.Byte[] buffer, ...)".
/// The same renderer serves the real nanoFramework sources and the reference surface, so two lines are equal exactly
/// when kind, accessibility, modifiers, types, parameter names, default values and constant values agree.
/// </summary>
public static class ApiLister
{
    private static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
        .RemoveMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    /// <summary>All visible types of the assembly (source or metadata); <paramref name="declaredIn"/> filters by source file.</summary>
    public static List<string> List(IAssemblySymbol assembly, Func<INamedTypeSymbol, bool> declaredIn = null)
    {
        var lines = new List<string>();
        foreach (var type in VisibleTypes(assembly.GlobalNamespace))
            if (declaredIn == null || declaredIn(type)) AddType(type, lines);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    public static string Name(ITypeSymbol type) => type.ToDisplayString(TypeFormat);

    private static IEnumerable<INamedTypeSymbol> VisibleTypes(INamespaceSymbol ns)
    {
        foreach (var t in ns.GetTypeMembers())
            foreach (var v in VisibleNested(t)) yield return v;
        foreach (var child in ns.GetNamespaceMembers())
            foreach (var v in VisibleTypes(child)) yield return v;
    }

    private static IEnumerable<INamedTypeSymbol> VisibleNested(INamedTypeSymbol t)
    {
        if (!Visible(t)) yield break;
        yield return t;
        foreach (var n in t.GetTypeMembers())
            foreach (var v in VisibleNested(n)) yield return v;
    }

    private static bool Visible(ISymbol s) =>
        s.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal;

    private static void AddType(INamedTypeSymbol t, List<string> lines)
    {
        var name = Name(t);
        lines.Add(name + "  type " + TypeHeader(t));
        foreach (var m in t.GetMembers())
        {
            if (!Visible(m) || m is INamedTypeSymbol) continue;
            var text = Member(t, m);
            if (text != null) lines.Add(name + "  " + text);
        }
    }

    private static string TypeHeader(INamedTypeSymbol t)
    {
        var parts = new List<string> { Access(t.DeclaredAccessibility) };
        string kind;
        switch (t.TypeKind)
        {
            case TypeKind.Class:
                if (t.IsStatic) parts.Add("static");
                else if (t.IsAbstract) parts.Add("abstract");
                else if (t.IsSealed) parts.Add("sealed");
                kind = "class";
                break;
            case TypeKind.Struct:
                if (t.IsReadOnly) parts.Add("readonly");
                if (t.IsRefLikeType) parts.Add("ref");
                kind = "struct";
                break;
            case TypeKind.Interface: kind = "interface"; break;
            case TypeKind.Enum: kind = "enum"; break;
            case TypeKind.Delegate: kind = "delegate"; break;
            default: kind = t.TypeKind.ToString().ToLowerInvariant(); break;
        }
        parts.Add(kind);
        var text = string.Join(" ", parts);

        var bases = new List<string>();
        if (t.TypeKind == TypeKind.Class && t.BaseType != null && t.BaseType.SpecialType != SpecialType.System_Object)
            bases.Add(Name(t.BaseType));
        if (t.TypeKind == TypeKind.Enum && t.EnumUnderlyingType != null && t.EnumUnderlyingType.SpecialType != SpecialType.System_Int32)
            bases.Add(Name(t.EnumUnderlyingType));
        bases.AddRange(t.Interfaces.Select(Name).OrderBy(n => n, StringComparer.Ordinal));
        if (bases.Count > 0) text += " : " + string.Join(", ", bases);

        if (t.TypeKind == TypeKind.Delegate && t.DelegateInvokeMethod != null)
            text += " " + Name(t.DelegateInvokeMethod.ReturnType) + " (" + Parameters(t.DelegateInvokeMethod.Parameters) + ")";
        if (t.GetAttributes().Any(a => a.AttributeClass != null && Name(a.AttributeClass) == "System.FlagsAttribute"))
            text += " [Flags]";
        return text;
    }

    private static string Member(INamedTypeSymbol owner, ISymbol m)
    {
        switch (m)
        {
            case IMethodSymbol method:
                switch (method.MethodKind)
                {
                    case MethodKind.Constructor when method.IsImplicitlyDeclared && owner.IsValueType:
                        return null; // every struct and enum has it; listing it says nothing
                    case MethodKind.Constructor:
                        return "ctor " + Access(method.DeclaredAccessibility) + " (" + Parameters(method.Parameters) + ")";
                    case MethodKind.Destructor:
                        return "destructor " + Access(method.DeclaredAccessibility);
                    case MethodKind.Ordinary:
                    case MethodKind.UserDefinedOperator:
                    case MethodKind.Conversion:
                        return "method " + Modifiers(owner, method) + Name(method.ReturnType) + " " + method.Name
                            + TypeParameters(method) + "(" + Parameters(method.Parameters) + ")";
                    default:
                        return null; // accessors, static constructors, explicit implementations: not callable by name
                }
            case IPropertySymbol p:
                var head = p.IsIndexer ? "this[" + Parameters(p.Parameters) + "]" : p.Name;
                return "property " + Modifiers(owner, p) + Name(p.Type) + " " + head + " {" + Accessor(p, p.GetMethod, "get")
                    + Accessor(p, p.SetMethod, "set") + " }";
            case IFieldSymbol f:
                if (owner.TypeKind == TypeKind.Enum)
                    return "field " + f.Name + " = " + Constant(f.ConstantValue);
                var mods = f.IsConst ? "const " : (f.IsStatic ? "static " : "") + (f.IsReadOnly ? "readonly " : "");
                var value = f.IsConst ? " = " + Constant(f.ConstantValue) : "";
                return "field " + Access(f.DeclaredAccessibility) + " " + mods + Name(f.Type) + " " + f.Name + value;
            case IEventSymbol e:
                return "event " + Modifiers(owner, e) + Name(e.Type) + " " + e.Name;
            default:
                return null;
        }
    }

    private static string Accessor(IPropertySymbol p, IMethodSymbol accessor, string word)
    {
        if (accessor == null || !Visible(accessor)) return "";
        var access = accessor.DeclaredAccessibility == p.DeclaredAccessibility ? "" : Access(accessor.DeclaredAccessibility) + " ";
        return " " + access + word + ";";
    }

    private static string Modifiers(INamedTypeSymbol owner, ISymbol m)
    {
        var parts = new List<string> { Access(m.DeclaredAccessibility) };
        if (m.IsStatic) parts.Add("static");
        if (owner.TypeKind != TypeKind.Interface)
        {
            if (m.IsAbstract) parts.Add("abstract");
            if (m.IsVirtual) parts.Add("virtual");
            if (m.IsOverride) parts.Add(m.IsSealed ? "sealed override" : "override");
        }
        if (m.IsExtern || (m is IPropertySymbol p && ((p.GetMethod?.IsExtern ?? false) || (p.SetMethod?.IsExtern ?? false))))
            parts.Add("extern");
        return string.Join(" ", parts) + " ";
    }

    private static string TypeParameters(IMethodSymbol m) =>
        m.TypeParameters.Length == 0 ? "" : "<" + string.Join(", ", m.TypeParameters.Select(t => t.Name)) + ">";

    private static string Parameters(IEnumerable<IParameterSymbol> ps) => string.Join(", ", ps.Select(Parameter));

    private static string Parameter(IParameterSymbol p)
    {
        var prefix = p.RefKind switch { RefKind.Ref => "ref ", RefKind.Out => "out ", RefKind.In => "in ", _ => "" };
        if (p.IsParams) prefix += "params ";
        var text = prefix + Name(p.Type) + " " + p.Name;
        if (p.HasExplicitDefaultValue) text += " = " + Constant(p.ExplicitDefaultValue);
        return text;
    }

    private static string Constant(object value) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        char c => "'" + c + "'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static string Access(Accessibility a) => a switch
    {
        Accessibility.Public => "public",
        Accessibility.Protected => "protected",
        Accessibility.ProtectedOrInternal => "protected internal",
        Accessibility.Internal => "internal",
        Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
