package dev.rota.admin;

/** No such job, run or token (or none the principal may see). */
public final class NotFoundException extends AdminException {
    public NotFoundException(String message) {
        super(message);
    }
}
