using System;
using System.Collections.Generic;
using System.CommandLine;

namespace Microsoft.ML.Gan.Cli;

/// <summary>
/// Command-line flags bound to the fields of an options object: each flag is declared once, next to the field it sets,
/// so that adding a field to a trainer's options is one line here and validation errors can name the flag.
/// </summary>
/// <typeparam name="TOptions">The options class; a binder for a base class also fills derived options objects.</typeparam>
internal sealed class OptionBinder<TOptions>
{
    private readonly List<Option> _flags = new();
    private readonly List<Action<ParseResult, TOptions>> _setters = new();
    private readonly Dictionary<string, Option> _flagByField = new(StringComparer.Ordinal);

    /// <summary>The flags, in the order they were added, for a command's option list.</summary>
    public IReadOnlyList<Option> Flags => _flags;

    /// <summary>Binds <paramref name="flag"/> to the field <paramref name="field"/>, which <paramref name="set"/> writes.</summary>
    public Option<T> Add<T>(Option<T> flag, string field, Action<TOptions, T> set)
    {
        _flags.Add(flag);
        _flagByField.Add(field, flag);
        _setters.Add((result, options) => set(options, result.GetValue(flag)!));
        return flag;
    }

    /// <summary>The flag bound to <paramref name="field"/>, or null when none is.</summary>
    public string? FlagFor(string field) => _flagByField.TryGetValue(field, out Option? flag) ? flag.Name : null;

    /// <summary>Copies every bound flag's value (given or default) onto <paramref name="options"/>.</summary>
    public TOptions Apply(ParseResult result, TOptions options)
    {
        foreach (Action<ParseResult, TOptions> set in _setters)
        {
            set(result, options);
        }
        return options;
    }

    /// <summary>Copies only the flags given on the command line onto <paramref name="options"/>, keeping its own defaults for the rest.</summary>
    public TOptions ApplyGiven(ParseResult result, TOptions options)
    {
        for (int i = 0; i < _flags.Count; i++)
        {
            if (result.GetResult(_flags[i]) is { Implicit: false })
            {
                _setters[i](result, options);
            }
        }
        return options;
    }

    /// <summary>
    /// Runs <paramref name="validate"/>; an <see cref="ArgumentException"/> about a bound field is rethrown with the
    /// flag in front of the options class's own message, so the user sees which flag to change.
    /// </summary>
    public void Validate(TOptions options, Action<TOptions> validate)
    {
        try
        {
            validate(options);
        }
        catch (ArgumentException e) when (e.ParamName != null && _flagByField.TryGetValue(e.ParamName, out Option? flag))
        {
            throw new ArgumentException($"{flag.Name}: {CliErrors.OneLine(e)}", e);
        }
    }
}
