package com.stops;

/** Nothing of the JVM's lifecycle anywhere. */
public final class Plain
{
    private Plain() {}

    public static int twice(int value)
    {
        return value * 2;
    }
}
