package dev.rota.admin;

/** The principal's role or team does not allow the action. */
public final class ForbiddenException extends AdminException {
    public ForbiddenException(String message) {
        super(message);
    }
}
