using System;
using System.Reflection;

namespace Microsoft.ML.Gan.Persistence;

/// <summary>
/// What <see cref="Microsoft.ML.Runtime.ComponentCatalog.RegisterAssembly(Assembly, bool)"/> is given to register the library's model loader: an
/// <see cref="Assembly"/> whose only assembly-level attribute is the loader's <c>LoadableClassAttribute</c>.
/// </summary>
/// <remarks>
/// ML.NET's <c>LoadableClassAttribute</c> is internal, so the library's real assembly cannot carry it. The catalog
/// reads just <see cref="FullName"/>, <see cref="GetName(bool)"/> (for the public key check),
/// <see cref="GetCustomAttributes(Type, bool)"/> and <see cref="GetTypes"/>. It registers a given
/// <see cref="FullName"/> once: <see cref="WasRegistered"/> tells whether this instance was the one registered.
/// </remarks>
internal sealed class LoaderRegistrationAssembly : Assembly
{
    private readonly Assembly _library;
    private readonly string _fullName;
    private readonly Attribute _loadableClass;
    private volatile bool _wasRegistered;

    public LoaderRegistrationAssembly(Assembly library, string fullName, Attribute loadableClass)
    {
        _library = library;
        _fullName = fullName;
        _loadableClass = loadableClass;
    }

    /// <summary>True once the catalog has read this assembly's attributes, i.e. did not skip it as already known.</summary>
    public bool WasRegistered => _wasRegistered;

    public override string FullName => _fullName;

    public override bool IsDynamic => false;

    public override string Location => _library.Location;

    public override AssemblyName GetName(bool copiedName)
    {
        AssemblyName name = _library.GetName(copiedName);
        name.Name = new AssemblyName(_fullName).Name;
        return name;
    }

    public override object[] GetCustomAttributes(bool inherit)
    {
        _wasRegistered = true;
        return new object[] { _loadableClass };
    }

    public override object[] GetCustomAttributes(Type attributeType, bool inherit)
    {
        _wasRegistered = true;
        bool matches = attributeType.IsInstanceOfType(_loadableClass);
        // Callers cast the result to attributeType[] (Attribute.GetCustomAttributes does), so build that array type.
        var result = (object[])Array.CreateInstance(attributeType, matches ? 1 : 0);
        if (matches)
            result[0] = _loadableClass;
        return result;
    }

    public override bool IsDefined(Type attributeType, bool inherit) => attributeType.IsInstanceOfType(_loadableClass);

    // The catalog also scans types for CustomMapping extensions: there are none to register here.
    public override Type[] GetTypes() => Type.EmptyTypes;

    public override Type[] GetExportedTypes() => Type.EmptyTypes;

    public override string ToString() => _fullName;

    public override bool Equals(object? o) => ReferenceEquals(this, o);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);
}
